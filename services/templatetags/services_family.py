"""Template helpers of the family screens of the services: accessible form fields (label,
hint and errors tied to the input) and the error summary at the top of a form."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("services/family/includes/field.html")
def family_field(field):
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
    return {"field": field, "is_radio": isinstance(widget, forms.RadioSelect)}


@register.inclusion_tag("services/family/includes/error_summary.html")
def family_errors(form=None, refusal=None, upload_links=None, title=None):
    """The refusal and the form's errors, summarised at the top with links to their fields."""
    errors = []
    if form is not None:
        for field in form:
            for error in field.errors:
                first = f"{field.auto_id}_0" if isinstance(field.field.widget, forms.RadioSelect) else field.auto_id
                errors.append({"id": first, "label": field.label, "message": error})
    return {"errors": errors, "non_field_errors": form.non_field_errors() if form is not None else [],
            "refusal": refusal, "upload_links": upload_links or [], "title": title}
