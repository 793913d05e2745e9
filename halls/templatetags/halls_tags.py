"""Template helpers of the hall-hire screens: accessible form fields, amounts in euros."""

from django import forms, template

from halls.hire import euros as format_euros

register = template.Library()


@register.filter
def euros(value):
    """300 → "300,00 €" (French) or "300.00 €" (English)."""
    if value is None or value == "":
        return ""
    return format_euros(value)


@register.inclusion_tag("halls/includes/field.html")
def hall_field(field):
    """A field with its label, hint and errors, the input described by both
    (``aria-describedby``) and marked ``aria-invalid`` when in error."""
    widget = field.field.widget
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
        attrs["required"] = True
    widget.attrs.update(attrs)
    return {
        "field": field,
        "is_radio": isinstance(widget, forms.RadioSelect),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.inclusion_tag("halls/includes/error_summary.html")
def error_summary(form, refusal=None, upload_links=None):
    """The errors of the form, summarised at the top with links to their fields."""
    errors = []
    for field in form:
        for error in field.errors:
            errors.append({"id": _first_input_id(field), "label": field.label, "message": error})
    return {"errors": errors, "non_field_errors": form.non_field_errors(), "refusal": refusal,
            "upload_links": upload_links or []}


def _first_input_id(field):
    if isinstance(field.field.widget, forms.RadioSelect):
        return f"{field.auto_id}_0"
    return field.auto_id
