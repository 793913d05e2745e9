"""The parent's page of API access tokens (/<lang>/acces-api/): create one (shown once),
see them (name, created, last used, expiry), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from services.rules import Refusal

from . import clock
from .forms import TokenForm
from .models import AccessToken
from .tokens import MAX_LIVE_TOKENS, create_token, may_hold_tokens, revoke_token


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    user = request.user
    allowed = may_hold_tokens(user)
    now = clock.now()
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if not allowed:
            status = 403
        elif form.is_valid():
            try:
                token, raw = create_token(user, name=form.cleaned_data["name"],
                                          expires_in_days=form.cleaned_data["expires_in_days"], now=now,
                                          request=request)
            except Refusal as refusal:
                form.add_error(None, refusal.message)
                status = 400
            else:
                created = {"token": token, "raw": raw}
                form = TokenForm()
        else:
            status = 400
    tokens = list(AccessToken.objects.filter(user=user).order_by("-created_at", "-id")) if allowed else []
    for token in tokens:
        token.live = token.is_live(now)
    return render(request, "api/tokens.html", {
        "form": form, "tokens": tokens, "created": created, "allowed": allowed, "max_tokens": MAX_LIVE_TOKENS,
    }, status=status)


@never_cache
@login_required
@require_POST
def token_revoke(request, pk):
    token = AccessToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404("token")
    revoke_token(request.user, token, now=clock.now(), request=request)
    messages.success(request, _("Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.")
                     % {"name": token.name})
    return redirect("api_tokens:list")
