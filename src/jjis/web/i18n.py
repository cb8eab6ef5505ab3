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
    "Error": "Erreur", "All": "Ensemble", "withheld": "masqué",
    "below each value": "sous chaque valeur",
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
    "Released": "Publié", "differs from the release": "diffère de la publication",
    "not in a release": "absent de la publication", "Revised": "Révisé", "was": "était",
    "draft — not released": "brouillon — non publié",
    "the current figures of your remit, not disclosure-controlled.":
        "les chiffres actuels de votre périmètre, sans contrôle de la divulgation.",
    "Nothing is released for this census date yet.":
        "Rien n'est encore publié pour cette date de recensement.",
    "Review and release": "Examiner et publier", "Released figures": "Chiffres publiés",
    "No figures released yet": "Aucun chiffre publié",
    "No figures have been released yet, so there is nothing to show here.":
        "Aucun chiffre n'a encore été publié : il n'y a rien à montrer ici.",
    "Figures are shown to the public once an analyst or an admin has reviewed and released them.":
        "Les chiffres sont montrés au public une fois examinés et publiés par un analyste ou "
        "un administrateur.",
    "To make a release, import the registers and then run":
        "Pour publier, importez les registres puis lancez",
    "or open the": "ou ouvrez la", "review page": "page d'examen",
    "Released now": "Publié actuellement", "Data snapshot": "Instantané des données",
    "Completeness and timeliness": "Complétude et ponctualité",
    "Sources expected": "Sources attendues", "Sent data": "Ont transmis", "In time": "À temps",
    "Outlier": "Valeur aberrante", "No findings.": "Aucun constat.",
    "Withheld by disclosure control": "Masqué par le contrôle de la divulgation",
    "figures of this area and the areas just below will be withheld.":
        "chiffres de cette zone et des zones juste en dessous seront masqués.",
    "List": "Liste", "Figures that would change": "Chiffres qui changeraient",
    "Nothing is released yet: every figure is new.":
        "Rien n'est encore publié : tous les chiffres sont nouveaux.",
    "No published figure would change.": "Aucun chiffre publié ne changerait.",
    "Figure": "Chiffre", "New": "Nouveau", "Release": "Publier", "Indicator": "Indicateur",
    "See the current figures (draft — not released)":
        "Voir les chiffres actuels (brouillon — non publié)",
    # figures being computed (computing.html)
    "Computing the figures": "Calcul des chiffres en cours", "The figures of": "Les chiffres du",
    "are being computed from the newest data. This takes a few seconds; the page reloads by "
    "itself when they are ready.":
        "sont calculés à partir des données les plus récentes. Cela prend quelques secondes ; "
        "la page se recharge d'elle-même quand ils sont prêts.",
    "Reload now": "Recharger maintenant",
    # uploads of several files, some outside the remit (upload.html)
    "Refused (outside your remit), not imported:":
        "Refusés (hors de votre périmètre), non importés :",
    "The other files were imported.": "Les autres fichiers ont été importés.",
    "Download the rows to fix, one CSV per register:":
        "Télécharger les lignes à corriger, un CSV par registre :",
    # downloads of figures (downloads.html, review.html)
    "Download": "Télécharger", "CSV of this indicator": "CSV de cet indicateur",
    "structure": "structure", "as released": "tels que publiés",
    "the figures shown here, of this area and the areas below it":
        "les chiffres montrés ici, de cette zone et des zones en dessous",
    "Download the released figures": "Télécharger les chiffres publiés",
    # the action summary (action_summary.html)
    "Action summary": "Synthèse des actions", "Children": "Enfants", "facilities": "établissements",
    "Open items": "À traiter", "Open items by rule": "À traiter, par règle",
    "Open items by facility": "À traiter, par établissement",
    "open items of every action list, by rule":
        "les points à traiter de toutes les listes d'actions, par règle",
    "Open items of the action lists of the places of detention in your remit, as of":
        "Points à traiter des listes d'actions des lieux de détention de votre périmètre, au",
    "To print this summary, use your browser's print command: the page prints without its menus.":
        "Pour imprimer cette synthèse, utilisez la commande d'impression du navigateur : la page "
        "s'imprime sans ses menus.",
    "No place of detention is within your remit.":
        "Aucun lieu de détention n'est dans votre périmètre.",
}

# The compare page and its map (web/routes_compare.py, templates/compare.html).
FR.update({
    "Compare areas": "Comparer les zones", "Level": "Niveau", "country": "pays",
    "region": "région", "district": "district", "Chart": "Graphique", "Count": "Effectif",
    "Map": "Carte", "withheld": "masqué", "not computable": "non calculable",
    "no source registered": "aucune source enregistrée",
    "Compare every area of a level: table, chart and map":
        "Comparer toutes les zones d'un niveau : tableau, graphique et carte",
    "Children are counted in the area of the facility that recorded them: for detention, where "
    "the place of detention is, not where the child lives. An area with no place of detention (or "
    "no source of the kind an indicator needs) of its own has no source registered: its children "
    "are counted in the area of the centre that holds them, and it is shown as “no source "
    "registered”, never as 0.":
        "Les enfants sont comptés dans la zone de l'établissement qui les a enregistrés : pour la "
        "détention, là où se trouve le lieu de détention, non là où vit l'enfant. Une zone sans "
        "lieu de détention (ou sans source du type dont un indicateur a besoin) qui lui soit "
        "propre n'a aucune source enregistrée : ses enfants sont comptés dans la zone du centre "
        "qui les détient, et elle est affichée « aucune source enregistrée », jamais 0.",
    "Hatched areas have no value to shade: diagonal lines, withheld by disclosure control; a "
    "grid, no source registered. Grey: not computable.":
        "Les zones hachurées n'ont pas de valeur à représenter : traits obliques, masquée par le "
        "contrôle de la divulgation ; quadrillage, aucune source enregistrée. Gris : non "
        "calculable.",
    "No boundaries have been imported: import areas.geojson to draw the map.":
        "Aucune limite n'a été importée : importez areas.geojson pour dessiner la carte.",
    "No boundaries of the areas of this level have been imported.":
        "Aucune limite des zones de ce niveau n'a été importée.",
    "No area of this level has figures here.": "Aucune zone de ce niveau n'a de chiffres ici.",
})


def translator(lang: str) -> Callable[[str], str]:
    if lang == "fr":
        return lambda text: FR.get(text, text)
    return lambda text: text
