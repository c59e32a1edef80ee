"""A person's identity is stored once (issue 13 #12): a registered client's sex and date of birth
are their client record's, read by the personal information page, the dossier and its PDF."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from guichet.accounts.models import PersonalProfile
from guichet.accounts.selectors import profile_snapshot
from guichet.accounts.tests.factories import UserFactory
from guichet.clients.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "passport_last_name": "Brandford",
    "passport_first_name": "Bernard",
    "birth_city": "Nairobi",
    "birth_country": "KE",
    "address_line1": "100, rue Principale",
    "country": "CA",
    "city": "Québec",
    "home_phone_code": "1",
    "home_phone": "4185550100",
}


def test_a_registered_clients_identity_is_the_client_records() -> None:
    user = UserFactory.create()
    profile = PersonalProfile.objects.create(
        user=user, own_sex="F", own_birth_date=date(1988, 4, 12), **PROFILE
    )
    ClientFactory.create(user=user, birth_date=date(1978, 5, 5), sex="M")
    PersonalProfile.forget_identity_copy(user)
    profile = PersonalProfile.objects.get(pk=profile.pk)
    assert (profile.own_sex, profile.own_birth_date) == ("", None)  # no second copy
    assert (profile.sex, profile.birth_date) == ("M", date(1978, 5, 5))
    snapshot = profile_snapshot(user)
    assert snapshot["birth_date"] == "1978-05-05" and snapshot["sex"] == "M"


def test_the_page_shows_the_registered_identity_and_does_not_ask_it_again(
    client: HttpClient,
) -> None:
    user = UserFactory.create()
    ClientFactory.create(user=user, birth_date=date(1978, 5, 5), sex="M")
    client.force_login(user)
    url = reverse("accounts:personal_profile")
    html = client.get(url).content.decode()
    assert "1978-05-05" in html and 'name="birth_date"' not in html
    response = client.post(url, {**PROFILE, "birth_date": "1990-01-01", "sex": "F"})
    assert response.status_code == 302
    profile = PersonalProfile.objects.get(user=user)
    assert (profile.sex, profile.birth_date) == ("M", date(1978, 5, 5))
    assert profile.own_birth_date is None


def test_someone_not_registered_keeps_their_own_identity(client: HttpClient) -> None:
    user = UserFactory.create()
    client.force_login(user)
    url = reverse("accounts:personal_profile")
    assert 'name="birth_date"' in client.get(url).content.decode()
    client.post(url, {**PROFILE, "birth_date": "1990-01-01", "sex": "F"})
    profile = PersonalProfile.objects.get(user=user)
    assert (profile.sex, profile.birth_date) == ("F", date(1990, 1, 1))
