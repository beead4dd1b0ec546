"""Build the POST data a browser would send for an admin add/change page, from its GET response."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm


def _form_values(form: BaseForm, data: dict[str, Any]) -> None:
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        data[form.add_prefix(name)] = [str(item) for item in value] if isinstance(value, list | tuple) else value


def admin_form_data(response) -> dict[str, Any]:
    data: dict[str, Any] = {}
    _form_values(response.context["adminform"].form, data)
    # A history (restore) page has no inlines.
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.forms:
            _form_values(form, data)
    return data


def inline_prefix(response, verbose_name_plural: str) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if str(inline.opts.verbose_name_plural) == verbose_name_plural:
            return inline.formset.prefix
    raise LookupError(f"No inline called {verbose_name_plural!r} on this page.")
