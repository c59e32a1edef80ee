"""Issue 31.15: an error summary's link lands on its field — for a radio group, its first choice
(`#id_<name>_0`: the group itself has no element of that id)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.tests.factories import UserFactory

from .factories import draft

pytestmark = pytest.mark.django_db


def test_every_link_of_the_submit_pages_summary_lands_on_a_field(client: Client) -> None:
    user = UserFactory.create()
    dossier = draft(user)
    client.force_login(user)
    page = client.get(reverse("dossiers:submit", kwargs={"dossier_id": dossier.pk}))
    links = re.findall(r'href="([^"]+)#(id_[^"]+)"', page.content.decode())
    assert any(anchor.endswith("_0") for _address, anchor in links)  # radio groups
    for address, anchor in links:
        section = client.get(address).content.decode()
        assert f'id="{anchor}"' in section, (address, anchor)


def test_a_label_ending_with_a_colon_is_not_doubled_in_the_summary() -> None:
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        username = forms.CharField(label="Créez votre nom d'utilisateur :")
        kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)

    page = render_to_string("includes/error_summary.html", {"form": Form({})})
    assert "Créez votre nom d&#x27;utilisateur : Ce champ" in page
    assert ": :" not in page
    assert 'href="#id_kind_0"' in page and 'href="#id_username"' in page
