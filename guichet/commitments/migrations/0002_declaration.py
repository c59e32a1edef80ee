"""The commitments of seed 003's « Déclaration de services à la clientèle », as data."""

from django.db import migrations

RECEIPT = ("la date de réception de votre demande", "the date your request is received")
FILE_OPENING_CSQ = (
    "Lettre confirmant l'ouverture de votre dossier à la suite d'une demande de certificat de "
    "sélection du Québec et vous invitant à consulter le site Internet pour connaître le délai "
    "de traitement qui a cours (travailleurs qualifiés et gens d'affaires)",
    "Letter confirming that your file is open following an application for a Québec "
    "selection certificate and inviting you to consult the website for the current processing "
    "time (skilled workers and business people)",
)
FILE_OPENING_EVALUATION = (
    "Lettre confirmant l'ouverture de votre dossier à la suite d'une demande d'Évaluation "
    "comparative des études effectuées hors du Québec et vous invitant à consulter le site "
    "Internet pour connaître le délai de traitement qui a cours",
    "Letter confirming that your file is open following an application for a Comparative "
    "evaluation for studies done outside Québec and inviting you to consult the website for "
    "the current processing time",
)
BD, MIN = "business_days", "minutes"
# code, section, group (fr, en), title (fr, en), delay, unit, starts (fr, en), ends (fr, en)
ROWS = [
    (
        "csq-file-opening",
        "immigrate",
        ("", ""),
        FILE_OPENING_CSQ,
        30,
        BD,
        RECEIPT,
        ("l'envoi de la lettre d'ouverture de dossier", "the file-opening letter is sent"),
    ),
    (
        "csq-peq-decision",
        "immigrate",
        ("", ""),
        (
            "Décision à la suite d'une demande de certificat de sélection du Québec dans le "
            "cadre du Programme de l'expérience québécoise",
            "Decision following an application for a Québec selection certificate under the "
            "Québec Experience Program",
        ),
        20,
        BD,
        RECEIPT,
        ("la décision", "the decision"),
    ),
    (
        "caq-studies-decision",
        "immigrate",
        ("", ""),
        (
            "Décision à la suite d'une demande de certificat d'acceptation du Québec pour études",
            "Decision following an application for a Québec acceptance certificate for studies",
        ),
        20,
        BD,
        RECEIPT,
        ("la décision", "the decision"),
    ),
    (
        "sponsorship-decision",
        "immigrate",
        ("", ""),
        (
            "Décision à la suite d'une demande d'engagement de parrainage familial",
            "Decision following a family sponsorship undertaking application",
        ),
        20,
        BD,
        RECEIPT,
        ("la décision", "the decision"),
    ),
    (
        "first-steps-meeting",
        "integrate",
        ("", ""),
        (
            "Rencontre sur les premières démarches d'installation au Québec",
            "Meeting on the first steps of settling in Québec",
        ),
        5,
        BD,
        RECEIPT,
        ("la rencontre", "the meeting"),
    ),
    (
        "work-world-session",
        "integrate",
        ("", ""),
        (
            "Session de formation S'adapter au monde du travail québécois",
            "Training session Adapting to the Québec workplace",
        ),
        15,
        BD,
        RECEIPT,
        ("la session de formation", "the training session"),
    ),
    (
        "evaluation-file-opening",
        "integrate",
        ("", ""),
        FILE_OPENING_EVALUATION,
        15,
        BD,
        RECEIPT,
        ("l'envoi de la lettre d'ouverture de dossier", "the file-opening letter is sent"),
    ),
    (
        "regulatory-body-support",
        "integrate",
        ("", ""),
        (
            "Accompagnement dans votre démarche auprès d'un ordre professionnel ou d'un autre "
            "organisme de réglementation",
            "Support in your application to a professional order or another regulatory body",
        ),
        20,
        BD,
        RECEIPT,
        ("le premier rendez-vous d'accompagnement", "the first support appointment"),
    ),
    (
        "french-eligibility",
        "french",
        ("Cours de français à temps complet", "Full-time French courses"),
        ("Avis d'admissibilité", "Notice of eligibility"),
        20,
        BD,
        RECEIPT,
        ("l'avis d'admissibilité", "the notice of eligibility"),
    ),
    (
        "french-course-start",
        "french",
        ("Cours de français à temps complet", "Full-time French courses"),
        (
            "Début des cours à compter de la date de confirmation de l'admissibilité",
            "Start of courses from the date eligibility is confirmed",
        ),
        65,
        BD,
        ("la confirmation de l'admissibilité", "eligibility is confirmed"),
        ("le début des cours", "the courses start"),
    ),
    (
        "phone-answer",
        "information",
        ("", ""),
        ("Réponse à votre appel téléphonique", "Answer to your telephone call"),
        3,
        MIN,
        ("votre appel", "your call"),
        ("la réponse", "the answer"),
    ),
    (
        "email-answer",
        "information",
        ("", ""),
        ("Réponse à votre demande par courriel", "Answer to your request by email"),
        5,
        BD,
        ("la réception de votre message", "your message is received"),
        ("la réponse", "the answer"),
    ),
    (
        "complaint-acknowledgement",
        "complaints",
        ("", ""),
        ("Accusé de réception", "Acknowledgement of receipt"),
        2,
        BD,
        ("la réception de votre plainte ou de votre commentaire", "your complaint or comment is received"),
        ("l'accusé de réception", "the acknowledgement"),
    ),
    (
        "complaint-answer",
        "complaints",
        ("", ""),
        ("Réponse", "Answer"),
        10,
        BD,
        ("la réception de votre plainte ou de votre commentaire", "your complaint or comment is received"),
        ("la réponse", "the answer"),
    ),
]


def declare(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    for position, (code, section, group, title, delay, unit, starts, ends) in enumerate(ROWS):
        Commitment.objects.update_or_create(
            code=code,
            defaults={
                "section": section,
                "position": position,
                "group_fr": group[0],
                "group_en": group[1],
                "title_fr": title[0],
                "title_en": title[1],
                "delay": delay,
                "unit": unit,
                "starts_fr": starts[0],
                "starts_en": starts[1],
                "ends_fr": ends[0],
                "ends_en": ends[1],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_commitments")]
    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
