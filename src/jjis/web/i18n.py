"""The pages' words in English and French (publication.languages). English is the key; a word
without a French entry is shown in English. Indicator names come from the catalogue."""

from __future__ import annotations

from collections.abc import Callable

FORMS_INTRO = ("Collection tools made from the register schema: the entry workbook (one sheet per "
               "register, dropdowns for the codes), the XLSForms for ODK Collect and KoboToolbox, "
               "and the paper registers to print. Fill them in, then send the workbook or the "
               "exports on the Upload page.")
FR: dict[str, str] = {
    "Dashboard": "Tableau de bord", "Facilities": "Établissements", "Upload": "Téléverser",
    "Quarantine": "Quarantaine", "Users": "Utilisateurs", "Audit log": "Journal d'audit",
    "Sign in": "Se connecter", "Sign out": "Se déconnecter", "User name": "Nom d'utilisateur",
    "Password": "Mot de passe", "Census date": "Date de recensement", "Area": "Zone",
    "Breakdown": "Ventilation", "None": "Aucune", "Show": "Afficher",
    "Core indicators": "Indicateurs clés", "Other indicators": "Autres indicateurs",
    "Definition": "Définition", "Numerator": "Numérateur", "Denominator": "Dénominateur",
    "Statistics": "Statistiques", "Area comparison": "Comparaison des zones",
    "Trend": "Évolution", "Coverage": "Couverture", "Value": "Valeur",
    "95% interval": "Intervalle à 95 %", "Note": "Note", "Statistic": "Statistique",
    "Skip to content": "Aller au contenu", "Published figures": "Chiffres publiés",
    "Exact figures": "Chiffres exacts", "Download CSV": "Télécharger en CSV",
    "Action list": "Liste d'actions", "Mark handled": "Marquer comme traité",
    "Handled": "Traité", "Rule": "Règle", "Days held": "Jours de détention",
    "Stay": "Séjour", "Detail": "Détail", "As of": "Au", "Records": "Dossiers",
    "sources reported": "sources ont transmis", "not measured": "non mesuré",
    "Language": "Langue", "How to read": "Comment lire", "Breakdowns": "Ventilations",
    "Files": "Fichiers", "Accepted": "Acceptées", "Rejected": "Rejetées", "Row": "Ligne",
    "Column": "Colonne", "Message": "Message", "Table": "Table", "File": "Fichier",
    "Validation report": "Rapport de validation", "Findings": "Constats",
    "Add user": "Ajouter un utilisateur", "Role": "Rôle", "Scope": "Périmètre",
    "Active": "Actif", "Disable": "Désactiver", "Enable": "Activer", "Show trend": "Voir l'évolution",
    "no action needed": "aucune action nécessaire", "open": "à traiter",
    "Error": "Erreur",
    "Sessions and tokens": "Sessions et jetons", "Revoke": "Révoquer", "Home": "Accueil",
    "Indicators": "Indicateurs", "One-time code": "Code à usage unique",
    "if you have one": "si vous en avez un", "Waiting to be imported": "En attente d'import",
    "Being imported": "Import en cours",
        "Forms": "Formulaires", "Record": "Saisir", "Save": "Enregistrer", "Saved.": "Enregistré.",
    "Recorded": "Ajoutés", "Updated": "Mis à jour",
    "Stays still held: add the sentence date or the release":
        "Séjours en cours : ajouter la date de condamnation ou la libération",
    "Facility": "Établissement", "Entry workbook": "Classeur de saisie",
    "XLSForms": "XLSForms", "Paper registers": "Registres papier",
    "facility return": "relevé de l'établissement",
    "No facility is in your remit.": "Aucun établissement n'est dans votre périmètre.",
    FORMS_INTRO:
        "Outils de collecte issus du schéma des registres : le classeur de saisie (une feuille par "
        "registre, listes déroulantes pour les codes), les XLSForms pour ODK Collect et "
        "KoboToolbox, et les registres papier à imprimer. Remplissez-les, puis envoyez le classeur "
        "ou les exports sur la page Téléverser.",
}


def translator(lang: str) -> Callable[[str], str]:
    if lang == "fr":
        return lambda text: FR.get(text, text)
    return lambda text: text
