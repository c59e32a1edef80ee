import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from guichet.accounts.models import Role, User
from guichet.clients.models import Client
from guichet.demo.services import ACCOUNTS
from guichet.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert User.objects.count() == len(ACCOUNTS)
    assert Organisation.objects.count() == 6
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    for account in ACCOUNTS:
        assert authenticate(username=account.username, password=account.password) is not None
    # The seed's people: Bernard Brandford registered, Draco Diablos known with no profile.
    assert Client.objects.count() == 2
    brandford = Client.objects.get(cic_client_id="58200462")
    assert brandford.user is not None and brandford.user.username == "BrAnDfOrD04"
    draco = Client.objects.get(reference_number="C3333726")
    assert draco.user is None
    assert brandford.client_number != draco.client_number
    # Appointment reference data and Bernard Brandford's upcoming appointment, loaded once.
    from guichet.appointments.models import AppointmentType, Booking, SessionModule

    assert AppointmentType.objects.count() == 7
    assert SessionModule.objects.filter(
        session__appointment_type__slug="objectif-integration"
    ).exists()
    assert Booking.objects.filter(client=brandford).count() == 1


def test_demo_data_refuses_to_load_outside_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)
