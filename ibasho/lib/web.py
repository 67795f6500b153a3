"""The one web idiom for a form that ends in a service call: parse with the form, let the
service decide (its `ValidationError` goes back onto the form, by field), say it was saved,
then redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def add_service_errors(form: Any, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def saved(
    request: HttpRequest, form: Any, save: Callable[..., object], *, message: str | None = ""
) -> bool:
    """True once a posted, valid form has been saved by `save(**cleaned_data)` (one service
    call), with a message on the next page saying so (`message`, "Saved." by default; None
    for none). A refusal by the service goes back onto the form and nothing is saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(**form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    if message is not None:
        messages.success(request, message or _("Saved."))
    return True


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[..., object],
    *,
    done: str,
    title: str,
    template: str = "form_page.html",
    message: str | None = "",
    **context: Any,
) -> HttpResponse:
    """A one-form page: on a valid POST that the service accepts, go to `done` with a saved
    message; otherwise show the form with what was wrong."""
    if saved(request, form, save, message=message):
        return redirect(done)
    return render(request, template, {"form": form, "title": title, **context})


def confirmed(request: HttpRequest) -> bool:
    """Whether a destructive action was confirmed: by the confirmation dialog (ibasho.js adds
    `confirmed` to the form) or, without JavaScript, on the confirmation page."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    back: str,
    keep: dict[str, str] | None = None,
) -> HttpResponse:
    """The confirmation step of a destructive action, for a browser without JavaScript: the
    same form again, with `confirmed`, and a way back that changes nothing."""
    context = {
        "title": title,
        "question": question,
        "button": button,
        "back": back,
        "action": request.path,
        "keep": sorted((keep or {}).items()),
    }
    return render(request, "confirm_page.html", context)
