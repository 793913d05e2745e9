"""English for the parent screens of the services (services.views, services.month, their
templates) and for the booking rules' messages they show (services.bookings,
services.rules); merged by tools/translations_en.py."""

EN = {
    # Domain messages shown on the parent screens (services.bookings, services.rules)
    "Une semaine type s'applique sur un an au plus.": "A weekly pattern covers one year at most.",
    "Choisissez au moins un jour de la semaine.": "Choose at least one day of the week.",
    "L'activité n'a pas lieu ce jour-là (vacances, jour férié ou fermeture).":
        "The activity does not take place that day (holidays, public holiday or closure).",
    "semaine type": "weekly pattern",
    "L'inscription de %(name)s à cette activité est sur liste d'attente.":
        "%(name)s's enrolment in this activity is on the waiting list.",
    "L'inscription de %(name)s à cette activité attend la validation du service.":
        "%(name)s's enrolment in this activity is waiting for the service's approval.",
    "%(name)s n'est pas inscrit(e) à cette activité pour cette date : faites d'abord la demande d'inscription.":
        "%(name)s is not enrolled in this activity for this date: apply for enrolment first.",
    "Cette activité ne se réserve pas jour par jour : faites une demande d'inscription.":
        "This activity is not booked day by day: apply for enrolment.",
    "L'activité n'a pas lieu le %(day)s.": "The activity does not take place on %(day)s.",
    "Cette activité n'est pas ouverte aux réservations.": "This activity is not open for booking.",
    "Déjà réservé.": "Already booked.",
    "Déjà sur la liste d'attente.": "Already on the waiting list.",
    "Le délai de réservation est dépassé : la réservation était possible jusqu'au %(deadline)s.":
        "The booking deadline has passed: booking was possible until %(deadline)s.",
    "Ce jour vient d'être modifié : rechargez la page.": "This day has just been changed: reload the page.",
    "Réservé.": "Booked.",
    "Complet : il ne reste plus de place ce jour-là.": "Full: there is no place left that day.",
    "Complet : inscrit(e) sur la liste d'attente, en position %(position)s.":
        "Full: put on the waiting list, in position %(position)s.",
    "Complet : inscription sur la liste d'attente.": "Full: put on the waiting list.",
    "Ce jour n'était pas réservé.": "This day was not booked.",
    "Retiré(e) de la liste d'attente.": "Removed from the waiting list.",
    "Annulé.": "Cancelled.",
    "Annulé ; la journée reste facturée, sauf justificatif médical accepté.":
        "Cancelled; the day is still charged, unless a medical certificate is accepted.",
    "Cette activité ne permet pas d'annuler le jour même pour un enfant malade : contactez le service.":
        "This activity does not allow a same-day cancellation for a sick child: contact the service.",
    "L'annulation pour enfant malade n'était possible que jusqu'au %(deadline)s.":
        "The cancellation for a sick child was only possible until %(deadline)s.",
    "Le délai d'annulation est dépassé : l'annulation était possible jusqu'au %(deadline)s.":
        "The cancellation deadline has passed: cancelling was possible until %(deadline)s.",
    "Si votre enfant est malade, utilisez l'annulation pour enfant malade (jusqu'au %(deadline)s).":
        "If your child is sick, use the cancellation for a sick child (until %(deadline)s).",
    "reste facturé": "still charged",
    "%(day)s à %(time)s": "%(day)s at %(time)s",
    "Seul un agent de la commune peut déroger aux règles.": "Only an agent of the commune may override the rules.",
    "Vous n'avez pas de droits sur cet enfant.": "You have no rights on this child.",
    "Vous n'avez pas le droit d'inscrire ou de réserver pour cet enfant.":
        "You are not allowed to enrol or book for this child.",
    "Ce foyer a choisi les démarches papier : adressez-vous au service, qui fera la démarche pour vous.":
        "This household chose paper procedures: contact the service, which will do it for you.",
    "Il manque une pièce justificative en règle : %(names)s.": "A valid supporting document is needed: %(names)s.",
    "demande en attente de validation": "request waiting for approval",
    "inscrit par la commune, en attente d'admission par l'école":
        "registered by the commune, waiting for admission by the school",
    "sur liste d'attente": "on the waiting list",
    "inscrit": "enrolled",
    # services.month
    "Fermé (%(name)s)": "Closed (%(name)s)",
    "Pas d'activité": "No activity",
    "Réservé": "Booked",
    "Annulation impossible : le délai est passé depuis le %(deadline)s.":
        "Cannot be cancelled: the deadline passed on %(deadline)s.",
    "Liste d'attente, position %(position)s": "Waiting list, position %(position)s",
    "Ce jour est passé.": "This day is over.",
    "Inscription en attente": "Enrolment pending",
    "Hors inscription": "Not enrolled",
    "Pas d'inscription active à cette date.": "No active enrolment on this date.",
    "Non réservé": "Not booked",
    "Réservation impossible : le délai est passé depuis le %(deadline)s.":
        "Cannot be booked: the deadline passed on %(deadline)s.",
    # services.views
    "lundi": "Monday",
    "mardi": "Tuesday",
    "mercredi": "Wednesday",
    "jeudi": "Thursday",
    "vendredi": "Friday",
    "samedi": "Saturday",
    "dimanche": "Sunday",
    "Enfant introuvable.": "Child not found.",
    "Jour demandé illisible : « %(value)s ».": "Unreadable day requested: “%(value)s”.",
    "La date %(day)s est hors des dates proposées.": "The date %(day)s is outside the dates offered.",
    "L'enfant demandé est invalide.": "The child requested is not valid.",
    "Le mois demandé est invalide : utilisez la forme AAAA-MM, par exemple %(example)s.":
        "The month requested is not valid: use the form YYYY-MM, for example %(example)s.",
    "Le mois demandé est hors des dates proposées.": "The month requested is outside the dates offered.",
    "Trop de jours demandés en une fois.": "Too many days requested at once.",
    "Activité inconnue pour ce service.": "Unknown activity for this service.",
    "Étape inconnue : recommencez depuis le calendrier.": "Unknown step: start again from the calendar.",
    "Aucun changement : cochez les jours à réserver ou décochez les jours à annuler.":
        "No change: tick the days to book or untick the days to cancel.",
    "Activité": "Activity",
    "Jours de la semaine": "Days of the week",
    "Du": "From",
    "Au (inclus)": "Until (included)",
    "Date invalide : utilisez la forme AAAA-MM-JJ.": "Invalid date: use the form YYYY-MM-DD.",
    "Par défaut : la fin de l'année scolaire.": "By default: the end of the school year.",
    "Ne pas m'inscrire en liste d'attente les jours complets": "Do not put me on the waiting list on full days",
    "La date de fin doit suivre la date de début.": "The end date must follow the start date.",
    "Étape inconnue : recommencez depuis le formulaire.": "Unknown step: start again from the form.",
    "%(name)s n'est inscrit(e) à aucune activité de ce service qui se réserve jour par jour : faites d'abord "
    "la demande d'inscription.":
        "%(name)s is not enrolled in any activity of this service booked day by day: apply for enrolment first.",
    "Réservation demandée illisible.": "Unreadable booking requested.",
    # Templates
    "Demande invalide": "Invalid request",
    "Rien n'a été enregistré.": "Nothing was saved.",
    "Revenir au calendrier": "Back to the calendar",
    "Inscrire et réserver : %(service)s": "Enrol and book: %(service)s",
    "Connectez-vous à votre espace famille pour voir les inscriptions de vos enfants et réserver leurs jours.":
        "Log in to your family space to see your children's enrolments and book their days.",
    "Calendrier du mois de tous mes enfants": "Month calendar of all my children",
    "%(activity)s, du %(start)s au %(end)s : %(status)s": "%(activity)s, from %(start)s to %(end)s: %(status)s",
    "%(name)s n'est inscrit(e) à aucune activité de ce service.": "%(name)s is not enrolled in any activity of this service.",
    "Calendrier de %(name)s": "%(name)s's calendar",
    "Semaine type de %(name)s": "%(name)s's weekly pattern",
    "%(name)s est malade aujourd'hui": "%(name)s is sick today",
    "Aucun enfant n'est rattaché à votre compte.": "No child is linked to your account.",
    "Calendrier : %(service)s, %(period)s": "Calendar: %(service)s, %(period)s",
    "Mes inscriptions et réservations": "My enrolments and bookings",
    "Calendrier de %(period)s": "Calendar of %(period)s",
    "Cochez les jours à réserver, décochez les jours à annuler, puis vérifiez le récapitulatif et le prix avant de "
    "confirmer. Chaque jour indique jusqu'à quand il peut encore être changé (heure de Paris).":
        "Tick the days to book, untick the days to cancel, then check the summary and the price before confirming. "
        "Each day shows until when it can still be changed (Paris time).",
    "Changer de mois": "Change month",
    "Mois précédent (%(period)s)": "Previous month (%(period)s)",
    "Mois suivant (%(period)s)": "Next month (%(period)s)",
    "Ce service ne se réserve pas jour par jour : passez par la demande d'inscription.":
        "This service is not booked day by day: apply for enrolment.",
    "%(name)s est malade ? Annuler %(activity)s aujourd'hui (possible jusqu'au %(until)s)":
        "%(name)s is sick? Cancel %(activity)s today (possible until %(until)s)",
    "%(name)s — %(activity)s, %(period)s": "%(name)s — %(activity)s, %(period)s",
    "Jour": "Day",
    "État": "Status",
    "Modifiable": "Can be changed",
    "(complet : liste d'attente)": "(full: waiting list)",
    "Réserver le %(day)s — %(activity)s, %(name)s": "Book %(day)s — %(activity)s, %(name)s",
    "Garder le %(day)s — %(activity)s, %(name)s": "Keep %(day)s — %(activity)s, %(name)s",
    "réservé": "booked",
    "modifiable jusqu'au %(deadline)s": "can be changed until %(deadline)s",
    "vous pouvez quitter la liste d'attente": "you may leave the waiting list",
    "Enfant malade : annulation possible jusqu'au %(until)s": "Sick child: cancellation possible until %(until)s",
    "%(name)s n'est inscrit(e) ce mois-ci à aucune activité de ce service qui se réserve jour par jour.":
        "%(name)s is not enrolled this month in any activity of this service booked day by day.",
    "Voir le récapitulatif et le prix": "See the summary and the price",
    "Complet : iront en liste d'attente": "Full: will go on the waiting list",
    "En liste d'attente": "On the waiting list",
    "position %(position)s": "position %(position)s",
    "Si une place se libère avant la clôture des réservations, le jour est réservé et vous êtes prévenu(e) par "
    "e-mail.": "If a place frees up before bookings close, the day is booked and you are told by e-mail.",
    "Jours à réserver : %(n)s": "Days to book: %(n)s",
    "Jours réservés : %(n)s": "Days booked: %(n)s",
    "Jours à annuler : %(n)s": "Days to cancel: %(n)s",
    "Jours annulés : %(n)s": "Days cancelled: %(n)s",
    "Ne pourront pas être faits": "Cannot be done",
    "Refusés": "Refused",
    "Déposer : %(name)s (%(child)s)": "Upload: %(name)s (%(child)s)",
    "À remettre au service : %(name)s": "To hand in to the service: %(name)s",
    "Jours sans activité (vacances, jours fériés, fermetures)": "Days without activity (holidays, public holidays, closures)",
    "Montant ajouté à votre prochaine facture : %(amount)s €": "Amount added to your next invoice: €%(amount)s",
    "Montant déduit de votre prochaine facture : %(amount)s €": "Amount deducted from your next invoice: €%(amount)s",
    "Ce changement ne modifie pas votre facture.": "This change does not alter your invoice.",
    "Vérifiez vos changements": "Check your changes",
    "Calendrier": "Calendar",
    "Rien n'est encore enregistré : confirmez pour appliquer les changements possibles.":
        "Nothing is saved yet: confirm to apply the possible changes.",
    "Confirmer les changements": "Confirm the changes",
    "Aucun des jours demandés ne peut être changé.": "None of the days requested can be changed.",
    "Revenir au calendrier sans rien changer": "Back to the calendar without changing anything",
    "Vos changements": "Your changes",
    "Vos changements sont enregistrés.": "Your changes are saved.",
    "Rien n'a été changé.": "Nothing was changed.",
    "Historique des réservations": "Booking history",
    "Réservez les mêmes jours chaque semaine en une seule fois, par exemple tous les lundis, mardis, jeudis et "
    "vendredis jusqu'à la fin de l'année scolaire. Vous verrez ce qui sera réservé, refusé et pourquoi, avec le prix, "
    "avant de confirmer.":
        "Book the same days every week in one step, for example every Monday, Tuesday, Thursday and Friday until the "
        "end of the school year. You will see what will be booked, refused and why, with the price, before "
        "confirming.",
    "Vérifiez le formulaire": "Check the form",
    "Semaine type de %(name)s : vérifiez": "%(name)s's weekly pattern: check",
    "%(activity)s, chaque %(days)s, du %(start)s au %(end)s.": "%(activity)s, every %(days)s, from %(start)s to %(end)s.",
    "Confirmer la semaine type": "Confirm the weekly pattern",
    "Aucun des jours demandés ne peut être réservé.": "None of the days requested can be booked.",
    "Modifier la semaine type": "Change the weekly pattern",
    "Semaine type de %(name)s : résultat": "%(name)s's weekly pattern: result",
    "Après le délai d'annulation, certaines activités permettent encore d'annuler le matin même pour un enfant "
    "malade. La journée reste alors facturée, sauf si vous déclarez l'absence avec un certificat médical et que le "
    "service l'accepte.":
        "After the cancellation deadline, some activities still allow a cancellation the same morning for a sick "
        "child. The day is then still charged, unless you declare the absence with a medical certificate and the "
        "service accepts it.",
    "%(activity)s : le jour même jusqu'à %(until)s": "%(activity)s: the same day until %(until)s",
    "Les activités de ce service ne permettent pas d'annuler le jour même : contactez le service.":
        "The activities of this service do not allow a same-day cancellation: contact the service.",
    "Réservations du %(day)s": "Bookings of %(day)s",
    "Annulation pour enfant malade possible jusqu'au %(until)s ; la journée reste facturée sauf certificat médical "
    "accepté.": "Cancellation for a sick child possible until %(until)s; the day is still charged unless a medical "
                "certificate is accepted.",
    "Annuler %(activity)s : %(name)s est malade": "Cancel %(activity)s: %(name)s is sick",
    "%(name)s n'a aucune réservation aujourd'hui dans ce service.": "%(name)s has no booking today in this service.",
    "Déclarer l'absence avec un certificat médical": "Declare the absence with a medical certificate",
}
