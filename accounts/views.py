from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .forms import EmailAuthenticationForm
from .selectors import space_context


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@never_cache
@login_required
def space(request):
    """The parent's space: the household file and the children the user holds rights on."""
    return render(request, "accounts/space.html", space_context(request.user))
