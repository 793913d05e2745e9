"""English for the agents' screens of the services in the admin (services.admin_views,
services.staff, their forms, templates and e-mails; merged by tools/translations_en.py)."""

EN = {
    # Menus and page titles
    "Services": "Services",
    "Activités": "Activities",
    "Règles de délai": "Deadline rules",
    "Années scolaires": "School years",
    "Calendrier (vacances, fériés, fermetures)": "Calendar (holidays, public holidays, closures)",
    "Salles": "Halls",
    "Suivi des services": "Services follow-up",
    "Demandes d'inscription": "Enrolment requests",
    "Demande d'inscription": "Enrolment request",
    "Listes d'attente": "Waiting lists",
    "Réserver pour une famille": "Book for a family",
    "Pointage": "Attendance",
    "Liste de pointage": "Attendance sheet",
    "Effectifs des repas": "Meal counts",
    "Justificatifs d'absence": "Absence justifications",
    "Justificatif d'absence": "Absence justification",
    "Places par jour": "Places per day",
    "Importer un calendrier (iCalendar)": "Import a calendar (iCalendar)",
    "Importer un calendrier (.ics)": "Import a calendar (.ics)",
    "Historique des réservations": "Booking history",
    "Places modifiées": "Places changed",
    "Places par jour modifiées": "Places per day changed",
    "Jour réservé": "Booked day",
    "Date de la modification": "Date of the change",
    # Weekdays
    "lundi": "Monday",
    "mardi": "Tuesday",
    "mercredi": "Wednesday",
    "jeudi": "Thursday",
    "vendredi": "Friday",
    "samedi": "Saturday",
    "dimanche": "Sunday",
    # Messages of the views
    "Cette activité ne se réserve pas jour par jour : passez par l'inscription.":
        "This activity is not booked day by day: go through the enrolment.",
    "Aucun changement : cochez les jours à réserver, décochez ceux à annuler.":
        "No change: tick the days to book, untick those to cancel.",
    "Pointage incomplet : choisissez l'enfant et le pointage.": "Incomplete mark: choose the child and the mark.",
    "Calendrier importé : %(created)s période(s) créée(s), %(updated)s modifiée(s), %(unchanged)s inchangée(s).":
        "Calendar imported: %(created)s period(s) created, %(updated)s changed, %(unchanged)s unchanged.",
    "Inscription acceptée ; la famille est prévenue par e-mail.": "Enrolment accepted; the family is told by e-mail.",
    "La place libérée est attribuée à %(child)s, premier de la liste d'attente ; sa famille est prévenue.":
        "The freed place goes to %(child)s, first on the waiting list; their family is told.",
    "réservation par un agent": "booking by an agent",
    "Justificatif accepté : les jours couverts ne seront pas facturés ; la famille est prévenue par e-mail.":
        "Justification accepted: the days it covers will not be charged; the family is told by e-mail.",
    "L'aperçu a expiré : envoyez le fichier à nouveau.": "The preview has expired: send the file again.",
    "Demande refusée ; la famille est prévenue par e-mail, avec le motif.":
        "Request refused; the family is told by e-mail, with the reason.",
    "%(done)s jour(s) modifié(s) pour %(child)s ; la famille est prévenue (si elle reçoit les confirmations par "
    "e-mail).": "%(done)s day(s) changed for %(child)s; the family is told (if it receives confirmations by e-mail).",
    "%(refused)s jour(s) refusé(s) : %(reasons)s": "%(refused)s day(s) refused: %(reasons)s",
    "Justificatif refusé ; la famille est prévenue par e-mail, avec le motif.":
        "Justification refused; the family is told by e-mail, with the reason.",
    "Places modifiées pour %(count)s jour(s).": "Places changed for %(count)s day(s).",
    "Demande placée sur liste d'attente ; la famille est prévenue par e-mail.":
        "Request put on the waiting list; the family is told by e-mail.",
    "Pointage effacé : %(child)s.": "Mark removed: %(child)s.",
    "%(child)s : absent (%(reason)s).": "%(child)s: absent (%(reason)s).",
    "%(child)s : présent.": "%(child)s: present.",
    "%(count)s enfant(s) de la liste d'attente ont obtenu une place ; leurs familles sont prévenues.":
        "%(count)s child(ren) on the waiting list got a place; their families are told.",
    "Enfant inscrit par la commune ; l'école prononcera l'admission. La famille est prévenue par e-mail.":
        "Child registered by the commune; the school will admit them. The family is told by e-mail.",
    "Admission par l'école enregistrée ; la famille est prévenue par e-mail.":
        "Admission by the school recorded; the family is told by e-mail.",
    "Inscription annulée ; la famille est prévenue par e-mail.": "Enrolment cancelled; the family is told by e-mail.",
    "Paiement du séjour enregistré.": "Payment of the stay recorded.",
    # Forms
    "Motif (la famille le lira)": "Reason (the family will read it)",
    "Message à la famille (facultatif)": "Message to the family (optional)",
    "École d'affectation": "Assigned school",
    "Dérogation": "Derogation",
    "Référence du paiement (reçu, PayFiP…)": "Payment reference (receipt, PayFiP…)",
    "à traiter (en attente de validation ou d'admission)": "to process (waiting for validation or admission)",
    "inscrits par la commune, en attente d'admission": "registered by the commune, waiting for admission",
    "sur liste d'attente": "on the waiting list",
    "inscrits": "enrolled",
    "refusées": "refused",
    "annulées": "cancelled",
    "Service": "Service",
    "tous les services": "all services",
    "toutes les activités": "all activities",
    "Enfant ou foyer (nom, code)": "Child or household (name, code)",
    "acceptés": "accepted",
    "refusés": "refused",
    "tous": "all",
    "présent": "present",
    "absent": "absent",
    "effacer le pointage": "remove the mark",
    "fixer le nombre de places de ces jours": "set the number of places of these days",
    "revenir au nombre de places de l'activité": "go back to the activity's number of places",
    "Du": "From",
    "Au (inclus)": "Until (included)",
    "Places": "Places",
    "Vide : sans limite.": "Empty: no limit.",
    "Intitulé de la séance (facultatif)": "Title of the session (optional)",
    "Par exemple « Sortie patinoire » ; vide : inchangé.": "For example “Ice rink outing”; empty: unchanged.",
    "Fichier iCalendar (.ics)": "iCalendar file (.ics)",
    "Les événements du fichier sont des": "The events of the file are",
    "Année scolaire": "School year",
    "aucune": "none",
    "Nom ou code du foyer, prénom ou nom d'un enfant": "Household name or code, a child's first or last name",
    "Indiquez le motif : la famille le lira.": "Give the reason: the family will read it.",
    "Le dernier jour doit être égal ou postérieur au premier jour.":
        "The last day must be the same as or after the first day.",
    "Choisissez un fichier iCalendar (.ics).": "Choose an iCalendar file (.ics).",
    "sans objet": "not applicable",
    "accordée : l'école demandée": "granted: the school asked for",
    # Domain (services.staff)
    "Seul un agent de la commune peut statuer sur une inscription.":
        "Only an agent of the commune may decide on an enrolment.",
    "Seul un agent de la commune peut modifier les places.": "Only an agent of the commune may change the places.",
    "Seul un agent de la commune peut modifier le calendrier.": "Only an agent of the commune may change the calendar.",
    "Les places de cette activité se comptent sur l'inscription, pas par jour : modifiez le nombre de places de "
    "l'activité.": "This activity's places are counted on the enrolment, not per day: change the activity's number "
                   "of places.",
    "Modifiez les places d'un an au plus à la fois.": "Change the places of one year at most at a time.",
    "L'activité n'a lieu aucun jour de cette période.": "The activity takes place on no day of this period.",
    "Le nombre de places ne peut pas être négatif.": "The number of places cannot be negative.",
    "Fichier trop volumineux : 2 Mo au plus.": "File too large: 2 MB at most.",
    "Ce fichier n'est pas un calendrier iCalendar (.ics) lisible.": "This file is not a readable iCalendar (.ics) file.",
    "Type de période inconnu.": "Unknown kind of period.",
    "Aucun événement lisible dans ce fichier.": "No readable event in this file.",
    "Seule une fermeture peut concerner une activité précise.": "Only a closure may concern one activity.",
    "Seule une demande en attente de validation peut passer sur liste d'attente.":
        "Only a request waiting for validation can be put on the waiting list.",
    "places ajoutées par le service": "places added by the service",
    "Demande placée sur liste d'attente par un agent : %(e)s": "Request put on the waiting list by an agent: %(e)s",
    "Il ne peut pas y avoir moins de places que d'enfants déjà inscrits ce jour-là (%(days)s).":
        "There cannot be fewer places than children already booked that day (%(days)s).",
    "Place obtenue depuis la liste d'attente : %(child)s, %(activity)s, %(day)s":
        "Place obtained from the waiting list: %(child)s, %(activity)s, %(day)s",
    "%(day)s : %(taken)s places prises": "%(day)s: %(taken)s places taken",
    "pas d'activité": "no activity",
    # Dashboard panel
    "Pointage du jour, enfants à pointer : %(counter)s": "Today's attendance, children to mark: %(counter)s",
    "%(marked)s pointé(s) sur %(expected)s attendu(s)": "%(marked)s marked out of %(expected)s expected",
    "Demandes d'inscription à traiter : %(counter)s": "Enrolment requests to process: %(counter)s",
    "Justificatifs d'absence à décider : %(counter)s": "Absence justifications to decide: %(counter)s",
    # Enrolment queue and request
    "Filtrer les demandes": "Filter the requests",
    "Demandes : %(counter)s": "Requests: %(counter)s",
    "la plus ancienne d'abord": "oldest first",
    "position %(position)s": "position %(position)s",
    "Aucune demande.": "No request.",
    "%(child)s — %(activity)s : %(status)s": "%(child)s — %(activity)s: %(status)s",
    "Position sur la liste d'attente : %(position)s": "Position on the waiting list: %(position)s",
    "La demande": "The request",
    "Classe demandée": "Class requested",
    "école demandée : %(school)s — motif : %(reason)s": "school asked for: %(school)s — reason: %(reason)s",
    "inscrit par la commune le %(date)s": "registered by the commune on %(date)s",
    "admis par l'école le %(date)s": "admitted by the school on %(date)s",
    "%(taken)s prises sur %(capacity)s": "%(taken)s taken out of %(capacity)s",
    "%(capacity)s places, aucune prise": "%(capacity)s places, none taken",
    "Paiement à la réservation": "Payment when booked",
    "L'enfant": "The child",
    "%(date)s — %(age)s ans au début de la période": "%(date)s — %(age)s years old at the start of the period",
    "Régime, allergies, PAI": "Diet, allergies, medical plan",
    "allergies :": "allergies:",
    "Le foyer": "The household",
    "démarches papier : la famille est informée par courrier": "paper: the family is told by post",
    "Responsables": "Guardians",
    "Conditions": "Conditions",
    "Âge et classe :": "Age and class:",
    "conformes à l'activité": "fit the activity",
    "Pièces justificatives au %(date)s :": "Supporting documents on %(date)s:",
    "manquantes ou à valider : %(names)s": "missing or to check: %(names)s",
    "complètes": "complete",
    "Accepter l'inscription": "Accept the enrolment",
    "Étape 1 sur 2 : la commune inscrit l'enfant dans une école ; l'école prononcera ensuite l'admission.":
        "Step 1 of 2: the commune registers the child in a school; the school then admits them.",
    "Inscrire (commune)": "Register (commune)",
    "Étape 2 sur 2 : l'école %(school)s admet l'enfant.": "Step 2 of 2: the school %(school)s admits the child.",
    "Enregistrer l'admission par l'école": "Record the admission by the school",
    "Mettre sur liste d'attente": "Put on the waiting list",
    "Paiement du séjour": "Payment of the stay",
    "Enregistrer le paiement": "Record the payment",
    "Annuler l'inscription pour la famille": "Cancel the enrolment for the family",
    "Déroger au délai d'annulation du séjour (tracé)": "Override the stay's cancellation deadline (traced)",
    "Annuler l'inscription": "Cancel the enrolment",
    "Autres inscriptions de l'enfant": "The child's other enrolments",
    "Aucune opération tracée.": "No operation traced.",
    # Waiting lists
    "Quand une place se libère (annulation, refus, retrait, places ajoutées), le premier de la liste l'obtient "
    "aussitôt et sa famille est prévenue par e-mail. Pour une activité dont l'inscription est validée par un agent, "
    "la demande promue revient en attente de validation. Une fois le délai de réservation d'un jour passé, la place "
    "libérée reste au service et la liste de ce jour est close.":
        "When a place is freed (cancellation, refusal, withdrawal, places added), the first on the list gets it at "
        "once and their family is told by e-mail. For an activity whose enrolment an agent validates, the promoted "
        "request goes back to waiting for validation. Once a day's booking deadline has passed, a freed place stays "
        "with the service and that day's list is closed.",
    "choisir une activité": "choose an activity",
    "en attente : %(days)s réservation(s), %(enrolments)s inscription(s)":
        "waiting: %(days)s booking(s), %(enrolments)s enrolment(s)",
    "sans limite de places": "no limit of places",
    "%(taken)s places prises sur %(capacity)s": "%(taken)s places taken out of %(capacity)s",
    "%(capacity)s places": "%(capacity)s places",
    "Position": "Position",
    "En attente depuis": "Waiting since",
    "Personne n'est sur liste d'attente pour cette activité.": "Nobody is on the waiting list for this activity.",
    # Bookings for a family
    "Pour une famille qui fait ses démarches sur papier (règlement, article 5.4) ou pour corriger une réservation : "
    "choisissez le foyer, puis l'enfant et l'activité. Les réservations passent par les mêmes règles que pour les "
    "parents ; le délai ne peut être dépassé qu'en le demandant explicitement, et c'est tracé.":
        "For a family that uses paper (regulation, article 5.4) or to correct a booking: choose the household, then "
        "the child and the activity. Bookings follow the same rules as for parents; the deadline can be overridden "
        "only when asked explicitly, and it is traced.",
    "Foyers trouvés pour « %(query)s »": "Households found for “%(query)s”",
    "Aucun foyer.": "No household.",
    "Foyers en démarches papier": "Paper households",
    "Aucun.": "None.",
    "Démarches papier : la famille ne reçoit pas d'e-mail ; informez-la par courrier ou à l'accueil.":
        "Paper household: the family receives no e-mail; tell it by post or at the desk.",
    "Réserver : %(activity)s": "Book: %(activity)s",
    "voir l'inscription": "see the enrolment",
    "Aucune inscription en cours : l'enfant doit d'abord être inscrit à l'activité.":
        "No current enrolment: the child must first be enrolled in the activity.",
    "Dernières modifications de réservation": "Latest booking changes",
    "%(child)s — %(activity)s": "%(child)s — %(activity)s",
    "L'enfant n'a pas d'inscription active à cette activité pour ce mois : les réservations seront refusées.":
        "The child has no active enrolment in this activity for this month: bookings will be refused.",
    "Vérifiez avant de confirmer : rien n'est encore enregistré.": "Check before confirming: nothing is saved yet.",
    "Dérogation au délai demandée : elle sera tracée à votre nom, comme agent agissant pour la famille.":
        "Deadline override asked: it will be traced in your name, as an agent acting for the family.",
    "Ce qui serait fait": "What would be done",
    "Demande": "Request",
    "Prix": "Price",
    "réserver": "book",
    "annuler": "cancel",
    "accepté :": "accepted:",
    "refusé :": "refused:",
    "hors délai (dérogation)": "after the deadline (override)",
    "Effet sur la facture : %(amount)s €": "Effect on the invoice: €%(amount)s",
    "Confirmer (%(counter)s jour(s))": "Confirm (%(counter)s day(s))",
    "Revenir au calendrier sans rien changer": "Back to the calendar without changing anything",
    "Aucun jour ne peut être changé ainsi.": "No day can be changed this way.",
    "Revenir au calendrier": "Back to the calendar",
    "%(month)s : cochez les jours réservés, décochez ceux à annuler":
        "%(month)s: tick the booked days, untick those to cancel",
    "réservé": "booked",
    "hors délai": "after the deadline",
    "annulé": "cancelled",
    "non réservé": "not booked",
    "délai passé": "deadline passed",
    "jusqu'au %(date)s": "until %(date)s",
    "%(left)s place(s)": "%(left)s place(s)",
    "Options": "Options",
    "Déroger au délai de réservation et d'annulation (tracé à votre nom comme agent agissant pour la famille)":
        "Override the booking and cancelling deadline (traced in your name as an agent acting for the family)",
    "Ne pas facturer les jours annulés hors délai (correction)": "Do not charge the days cancelled late (correction)",
    "Si un jour est complet, inscrire l'enfant sur la liste d'attente":
        "If a day is full, put the child on the waiting list",
    "Voir le résultat avant de confirmer": "See the result before confirming",
    "Historique des réservations de l'enfant pour cette activité": "The child's booking history for this activity",
    "Activité et jour": "Activity and day",
    "Avant → après": "Before → after",
    "Dérogation au délai": "Deadline override",
    "le portail": "the portal",
    "agent pour la famille": "agent for the family",
    "oui, hors délai": "yes, after the deadline",
    # Attendance
    "Jour précédent": "Previous day",
    "Jour suivant": "Next day",
    "Aujourd'hui, %(day)s": "Today, %(day)s",
    "Activités du jour et leur pointage": "The day's activities and their attendance",
    "Lieu": "Place",
    "Attendus": "Expected",
    "Pointés": "Marked",
    "Pointer : %(name)s": "Take attendance: %(name)s",
    "l'activité n'a pas lieu ce jour-là": "the activity does not take place that day",
    "Aucune activité ce jour-là.": "No activity that day.",
    "Pointage : %(name)s, %(day)s": "Attendance: %(name)s, %(day)s",
    "Toutes les activités du jour": "All the day's activities",
    "Liste imprimable": "Printable list",
    "Administration": "Administration",
    "%(booked)s attendus — %(present)s présents, %(absent)s absents, %(unbooked)s sans réservation, %(expected)s à "
    "pointer": "%(booked)s expected — %(present)s present, %(absent)s absent, %(unbooked)s without booking, "
               "%(expected)s to mark",
    "L'activité n'a pas lieu ce jour-là (vacances, jour férié, fermeture ou autre jour de la semaine).":
        "The activity does not take place that day (holidays, public holiday, closure or another weekday).",
    "Ce jour est à venir : le pointage sera possible le jour même.":
        "This day is still to come: attendance can be taken on the day itself.",
    "Enfants attendus et pointés": "Children expected and marked",
    "À pointer": "To mark",
    "Présent": "Present",
    "Présent sans réservation": "Present without booking",
    "Absent (%(reason)s)": "Absent (%(reason)s)",
    "PAI (projet d'accueil individualisé)": "PAI (individual medical plan)",
    "Allergies : %(allergies)s": "Allergies: %(allergies)s",
    "Régime : %(diet)s": "Diet: %(diet)s",
    "Personnes autorisées à venir chercher l'enfant : %(counter)s":
        "Persons allowed to pick the child up: %(counter)s",
    "Seuls les responsables légaux.": "The legal guardians only.",
    "Motif d'absence : %(name)s": "Reason for absence: %(name)s",
    "Absent": "Absent",
    "Effacer le pointage": "Remove the mark",
    "Aucun enfant attendu ce jour-là.": "No child expected that day.",
    "Un enfant présent sans réservation": "A child present without booking",
    "Prénom ou nom de l'enfant": "The child's first or last name",
    "Chercher": "Search",
    "Présent sans réservation : %(name)s": "Present without booking: %(name)s",
    "inscrit à l'activité": "enrolled in the activity",
    "non inscrit à l'activité": "not enrolled in the activity",
    "Aucun autre enfant de ce nom.": "No other child of that name.",
    "Liste de pointage : %(name)s, %(day)s": "Attendance sheet: %(name)s, %(day)s",
    "Retour au pointage": "Back to the attendance",
    "Imprimez cette page avec la commande Imprimer du navigateur.": "Print this page with the browser's Print command.",
    "Liste de pointage : %(name)s": "Attendance sheet: %(name)s",
    "%(booked)s attendus ; déjà pointés : %(present)s présents, %(absent)s absents.":
        "%(booked)s expected; already marked: %(present)s present, %(absent)s absent.",
    "Enfants attendus : %(name)s, %(day)s": "Children expected: %(name)s, %(day)s",
    "PAI, allergies, régime": "Medical plan, allergies, diet",
    "sans réservation": "without booking",
    # Meal counts
    "Semaine précédente": "Previous week",
    "Semaine suivante": "Next week",
    "Voir le jour": "See the day",
    "Voir la semaine": "See the week",
    "Repas réservés, semaine du %(first)s": "Meals booked, week of %(first)s",
    "Restaurant": "Restaurant",
    "Aucune activité ne sert de repas : cochez « repas servi » sur les cantines.":
        "No activity serves a meal: tick “meal served” on the canteens.",
    "Repas du %(day)s, par restaurant": "Meals of %(day)s, per restaurant",
    "Réservés": "Booked",
    "Dont PAI": "Of which medical plans",
    "Présents pointés": "Marked present",
    "pas encore pointé": "not marked yet",
    # Absence justifications
    "Déclaré le": "Declared on",
    "Absence": "Absence",
    "Jours couverts": "Days covered",
    "Aucun justificatif.": "No justification.",
    "%(child)s, du %(first)s au %(last)s : %(status)s": "%(child)s, from %(first)s to %(last)s: %(status)s",
    "Message du parent": "The parent's message",
    "Certificat médical": "Medical certificate",
    "voir la pièce dans l'espace des pièces justificatives": "see the document in the supporting documents area",
    "Ouvrir le fichier %(name)s": "Open the file %(name)s",
    "consultable par les agents des pièces justificatives": "visible to the agents of the supporting documents",
    "Jours couverts (fixés à la déclaration)": "Days covered (fixed when declared)",
    "Réservation": "Booking",
    "annulé hors délai": "cancelled after the deadline",
    "Accepter : les jours couverts ne seront pas facturés.": "Accept: the days covered will not be charged.",
    "Accepter le justificatif": "Accept the justification",
    "Refuser le justificatif": "Refuse the justification",
    # Places per day and closures
    "%(name)s — %(month)s": "%(name)s — %(month)s",
    "Nombre de places de l'activité : sans limite.": "The activity's number of places: no limit.",
    "Nombre de places de l'activité : %(capacity)s.": "The activity's number of places: %(capacity)s.",
    "Places par jour : %(name)s, %(month)s": "Places per day: %(name)s, %(month)s",
    "Prises": "Taken",
    "Restantes": "Left",
    "Liste d'attente": "Waiting list",
    "propre à ce jour": "of this day only",
    "Fermé : %(label)s": "Closed: %(label)s",
    "L'activité n'a lieu aucun jour de ce mois.": "The activity takes place on no day of this month.",
    "Fermetures ce mois-ci": "Closures this month",
    "toutes les activités": "all activities",
    "Modifier les places d'un jour ou d'une période": "Change the places of a day or a period",
    "Seuls les jours où l'activité a lieu sont modifiés. Des places ajoutées sont données aussitôt à la liste "
    "d'attente (familles prévenues) ; il ne peut pas y avoir moins de places que d'enfants déjà inscrits.":
        "Only the days the activity takes place are changed. Places added go at once to the waiting list "
        "(families told); there cannot be fewer places than children already booked.",
    "Déclarer une fermeture": "Declare a closure",
    "Enregistrer les places": "Save the places",
    # iCalendar import
    "Aperçu : rien n'est encore enregistré.": "Preview: nothing is saved yet.",
    "Type : %(kind)s — %(created)s période(s) à créer, %(updated)s à modifier, %(unchanged)s déjà à jour.":
        "Kind: %(kind)s — %(created)s period(s) to create, %(updated)s to change, %(unchanged)s already up to date.",
    "Année scolaire : %(year)s.": "School year: %(year)s.",
    "Périodes du fichier": "The file's periods",
    "Premier jour": "First day",
    "Dernier jour (inclus)": "Last day (included)",
    "Effet": "Effect",
    "à créer": "to create",
    "à modifier (actuellement : %(old)s)": "to change (now: %(old)s)",
    "inchangée": "unchanged",
    "Confirmer l'import": "Confirm the import",
    "Le fichier des jours fériés ou des vacances scolaires (zone B) publié en iCalendar (.ics) : chaque événement "
    "devient une période du calendrier. Un même fichier importé deux fois ne crée pas de doublon.":
        "The public holidays or school holidays (zone B) file published as iCalendar (.ics): each event becomes a "
        "calendar period. The same file imported twice creates no duplicate.",
    "Voir ce qui sera importé": "See what will be imported",
    # E-mails
    "Inscription de %(name)s : %(activity)s (liste d'attente)": "Enrolment of %(name)s: %(activity)s (waiting list)",
    "Les places de « %(activity)s » sont prises pour cette période : la demande d'inscription de %(child)s est "
    "inscrite sur la liste d'attente.": "The places of “%(activity)s” are taken for this period: %(child)s's "
                                        "enrolment request is on the waiting list.",
    "Position : %(position)s.": "Position: %(position)s.",
    "Dès qu'une place se libère, elle est attribuée au premier de la liste et la famille est prévenue par e-mail.":
        "As soon as a place is freed, it goes to the first on the list and the family is told by e-mail.",
    "Inscription de %(name)s annulée : %(activity)s": "Enrolment of %(name)s cancelled: %(activity)s",
    "Le service a annulé l'inscription (ou la demande d'inscription) de %(child)s à « %(activity)s ».":
        "The service cancelled %(child)s's enrolment (or enrolment request) in “%(activity)s”.",
    "Facture du séjour": "Invoice of the stay",
    "Ce séjour est facturé par la facture %(number)s : enregistrez le paiement sur cette facture (paiement au "
    "guichet ou en ligne) ; il est reporté ici.":
        "This stay is billed by invoice %(number)s: record the payment on that invoice (at the desk or online); "
        "it is carried over here.",
    # Occupancy per day and its exports
    "Réservées": "Booked",
    "Taux d'occupation (%)": "Occupancy rate (%)",
    # The same heading in a template: {% trans %} doubles the "%" in the msgid and undoubles it when shown.
    "Taux d'occupation (%%)": "Occupancy rate (%%)",
    "Exporter l'occupation du mois :": "Export the month's occupancy:",
}
