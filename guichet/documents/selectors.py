from django.db.models import QuerySet

from guichet.accounts.models import User

from .models import Document


def owned_documents(user: User) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).select_related("dossier").defer("content")


def owned_document(user: User, document_id: int) -> Document | None:
    return Document.objects.filter(owner=user, pk=document_id).first()
