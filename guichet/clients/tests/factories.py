from datetime import date

import factory
from factory.django import DjangoModelFactory

from guichet.clients.models import Client, ImmigrationStatus, Locality


class ClientFactory(DjangoModelFactory[Client]):
    class Meta:
        model = Client

    client_number = factory.Sequence(lambda n: f"{20000 + n:05d}")
    status = factory.LazyFunction(lambda: ImmigrationStatus.objects.get(code="permanent_resident"))
    status_granted_on = date(2012, 9, 13)
    last_name = "Diablos"
    first_name = "Draco"
    birth_date = date(1980, 10, 1)
    sex = "M"
    email = "requerant@example.org"
    locality = factory.LazyFunction(lambda: Locality.objects.get(name="Québec"))
