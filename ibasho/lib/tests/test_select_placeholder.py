"""The blank choice of every select reads as a prompt (選択してください / Choose…), set once in the
form renderer's templates rather than per form."""

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models.fields import BLANK_CHOICE_DASH
from django.urls import reverse
from django.utils import translation


class Example(forms.Form):
    colour = forms.ChoiceField(choices=[("", "---------"), ("red", "Red")], required=False)
    account = forms.ModelChoiceField(queryset=ContentType.objects.none(), required=False)
    kind = forms.TypedChoiceField(choices=BLANK_CHOICE_DASH + [("a", "A")])


@pytest.mark.parametrize(("language", "prompt"), [("ja", "選択してください"), ("en", "Choose…")])
def test_the_blank_choice_is_a_prompt_in_every_kind_of_select(language, prompt, db):
    with translation.override(language):
        html = str(Example())
    assert "---------" not in html
    assert html.count(f'<option value="" selected>{prompt}</option>') == 3


def test_other_choices_keep_their_labels(db):
    with translation.override("ja"):
        html = str(Example())
    assert '<option value="red">Red</option>' in html


def test_a_page_of_the_app_shows_the_prompt(client_for, coordinator_a):
    """The new person form's household is a model choice with a blank choice."""
    page = client_for(coordinator_a).get(reverse("people:person_create"), HTTP_ACCEPT_LANGUAGE="ja")
    html = page.content.decode()
    assert "---------" not in html
    assert ">選択してください</option>" in html
