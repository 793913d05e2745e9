"""Template helpers of the parent screens of the services (embedded in a ServicePage)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def screen_url(context, name, *args, **kwargs):
    """``{% screen_url "calendar" %}``: the URL of another embedded screen of the
    ServicePage being served (``service_page`` and ``request`` from the context)."""
    return context["service_page"].screen_url(context["request"], name, *args, **kwargs)
