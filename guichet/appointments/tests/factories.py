from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from guichet.accounts.tests.factories import OrganisationFactory
from guichet.appointments.models import AppointmentType, Place, Session
from guichet.clients.models import Locality


class AppointmentTypeFactory(DjangoModelFactory[AppointmentType]):
    class Meta:
        model = AppointmentType

    slug = factory.Sequence(lambda n: f"type-{n}")
    title_fr = "Session Premières démarches d'installation"
    title_en = "First steps to settle in session"
    description_fr = "Séance collective sur les premières démarches."
    description_en = "Group session on the first steps."
    documents_fr = "Passeport"
    documents_en = "Passport"
    duration_minutes = 180
    collective = True


class PlaceFactory(DjangoModelFactory[Place]):
    class Meta:
        model = Place

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Lieu {n}")
    address = "1200, boulevard Saint-Laurent"
    locality = factory.LazyFunction(lambda: Locality.objects.get(name="Montréal"))
    postal_code = "H2X 2S5"
    latitude = 45.5
    longitude = -73.57


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    place = factory.SubFactory(PlaceFactory)
    organisation = factory.LazyAttribute(lambda s: s.place.organisation)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    duration_minutes = 180
    capacity = 25
