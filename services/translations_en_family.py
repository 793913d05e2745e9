"""English for the family screens of the services (services.views_family, forms_family,
previews and the templates under services/family/; merged by tools/translations_en.py)."""

EN = {
    # Messages of the views
    "Enfant introuvable.": "Child not found.",
    "Le paramètre « enfant » doit être le numéro d'un de vos enfants.":
        "The “enfant” parameter must be the number of one of your children.",
    "L'inscription de %(child)s à « %(activity)s » est annulée.":
        "%(child)s's enrolment in “%(activity)s” is cancelled.",
    "%(child)s est inscrit(e) à « %(activity)s ».": "%(child)s is enrolled in “%(activity)s”.",
    "La demande pour %(child)s à « %(activity)s » est sur liste d'attente, en position %(position)s : vous serez "
    "prévenu(e) dès qu'une place se libère.":
        "The request for %(child)s in “%(activity)s” is on the waiting list, in position %(position)s: you will be "
        "told as soon as a place is free.",
    "La demande pour %(child)s à « %(activity)s » est enregistrée : le service la validera, vous serez prévenu(e) "
    "de sa décision.":
        "The request for %(child)s in “%(activity)s” is recorded: the service will review it and tell you its "
        "decision.",
    "Document introuvable.": "Document not found.",
    "L'absence de %(child)s est déclarée : %(count)s jour(s) en attente de la décision du service.":
        "%(child)s's absence is declared: %(count)s day(s) awaiting the service's decision.",
    "un agent de la commune, pour votre famille": "a member of the commune's staff, for your family",
    "le portail (liste d'attente)": "the portal (waiting list)",
    "vous": "you",
    "%(name)s (autre responsable)": "%(name)s (other guardian)",
    "un autre responsable de l'enfant": "another guardian of the child",
    "Choisissez l'enfant dont vous voulez l'agenda.": "Choose the child whose calendar you want.",
    "L'adresse de l'agenda est révoquée : elle ne donne plus rien.":
        "The calendar address is revoked: it no longer gives anything.",
    "Agenda introuvable ou révoqué.": "Calendar not found or revoked.",
    # Forms
    "Enfant": "Child",
    "Activité": "Activity",
    "Période": "Period",
    "Classe demandée": "Class requested",
    "— choisir —": "— choose —",
    "École souhaitée (pour une dérogation)": "School wished (for a derogation)",
    "Seulement si vous demandez une école hors de votre secteur.": "Only if you ask for a school outside your area.",
    "Motif de dérogation": "Reason for the derogation",
    "sans dérogation": "no derogation",
    "Précisions sur la dérogation": "Details of the derogation",
    "Cette période n'est pas ouverte pour cette activité.": "This period is not open for this activity.",
    "Indiquez l'école demandée pour la dérogation.": "Give the school requested for the derogation.",
    "Premier jour d'absence": "First day of absence",
    "Le premier jour où l'enfant n'est pas venu.": "The first day the child did not come.",
    "Dernier jour d'absence": "Last day of absence",
    "Le même jour pour une absence d'une journée.": "The same day for a one-day absence.",
    "Certificat médical": "Medical certificate",
    "Un certificat déjà envoyé dans vos justificatifs.": "A certificate already sent with your documents.",
    "Message pour le service (facultatif)": "Message for the service (optional)",
    "%(child)s — %(type)s, envoyé le %(day)s (%(status)s)": "%(child)s — %(type)s, sent on %(day)s (%(status)s)",
    "Le dernier jour d'absence doit suivre le premier.": "The last day of absence must follow the first.",
    # Previews (the same refusals as the domain's)
    "Cette activité n'est pas ouverte aux inscriptions.": "This activity is not open for enrolment.",
    "Aucune période d'inscription n'est ouverte pour cette activité.":
        "No enrolment period is open for this activity.",
    "Une demande d'inscription est déjà en cours pour cette période.":
        "An enrolment request is already open for this period.",
    "Motif de dérogation inconnu.": "Unknown derogation reason.",
    "Déclarez une absence de deux mois au plus.": "Declare an absence of two months at most.",
    "Une absence se déclare au plus un mois à l'avance.": "An absence is declared at most one month ahead.",
    "Choisissez le certificat médical de %(name)s.": "Choose %(name)s's medical certificate.",
    "Ce document n'est pas un certificat médical.": "This document is not a medical certificate.",
    "Ce certificat a été refusé : envoyez-en un autre.": "This certificate was refused: send another one.",
    "Aucun jour ne peut être justifié : %(reasons)s.": "No day can be justified: %(reasons)s.",
    "Aucune réservation de %(name)s sur ces dates.": "No booking for %(name)s on these dates.",
    # Templates: common
    "Fil d’Ariane": "Breadcrumb",
    "La demande ne peut pas être faite": "The request cannot be made",
    "Le formulaire contient des erreurs": "The form has errors",
    "Déposer : %(name)s": "Upload: %(name)s",
    "À déposer dans votre espace famille : %(name)s": "To upload in your family space: %(name)s",
    "obligatoire": "required",
    "Demande incorrecte": "Bad request",
    "L'adresse demandée n'est pas valable": "The address requested is not valid",
    "Retour à « %(title)s »": "Back to “%(title)s”",
    "Action": "Action",
    "État": "Status",
    "du %(start)s au %(end)s": "from %(start)s to %(end)s",
    "Motif : %(reason)s": "Reason: %(reason)s",
    "Mon espace famille": "My family space",
    "Aucun enfant n'est rattaché à votre compte.": "No child is linked to your account.",
    # Landing links
    "Le dossier de mes enfants": "My children's file",
    "Demander une inscription": "Request an enrolment",
    "Suivre les inscriptions": "Follow the enrolments",
    "Justifier une absence (certificat médical)": "Justify an absence (medical certificate)",
    "Historique des réservations": "Booking history",
    "Les réservations dans mon agenda (iCalendar)": "The bookings in my calendar (iCalendar)",
    # Enrolment
    "Inscriptions": "Enrolments",
    "Aucun enfant n'est rattaché à votre compte : ajoutez-le depuis votre espace famille, ou demandez à la mairie "
    "de relier votre compte à votre foyer.":
        "No child is linked to your account: add them from your family space, or ask the town hall to link your "
        "account to your household.",
    "Aucune activité de ce service n'est ouverte aux inscriptions pour le moment.":
        "No activity of this service is open for enrolment at the moment.",
    "L'étape suivante vérifie l'âge, la classe, les pièces justificatives et les places, et vous dit si "
    "l'inscription sera active tout de suite, validée par le service ou mise en liste d'attente, avant que vous "
    "confirmiez.":
        "The next step checks the age, the class, the supporting documents and the places, and tells you whether "
        "the enrolment will be active at once, reviewed by the service or put on the waiting list, before you "
        "confirm.",
    "L'inscription": "The enrolment",
    "Inscription scolaire": "School enrolment",
    "La commune enregistre d'abord la demande et fixe l'école ; l'école admet ensuite l'enfant. Vous êtes "
    "prévenu(e) à chaque étape.":
        "The commune first registers the request and sets the school; the school then admits the child. You are "
        "told at each step.",
    "Vérifier la demande": "Check the request",
    "Voir les inscriptions de mes enfants": "See my children's enrolments",
    "Confirmer la demande d'inscription": "Confirm the enrolment request",
    "École souhaitée": "School wished",
    "Cette activité est complète pour cette période.": "This activity is full for this period.",
    "Si vous confirmez, la demande sera mise sur liste d'attente, en position %(position)s ; vous serez "
    "prévenu(e) dès qu'une place se libère.":
        "If you confirm, the request will be put on the waiting list, in position %(position)s; you will be told "
        "as soon as a place is free.",
    "Si vous confirmez, la demande sera examinée par le service, qui vous préviendra de sa décision. Une place "
    "vous est gardée en attendant.":
        "If you confirm, the request will be reviewed by the service, which will tell you its decision. A place is "
        "kept for you meanwhile.",
    "Si vous confirmez, l'inscription sera active tout de suite.": "If you confirm, the enrolment will be active at "
                                                                   "once.",
    "Vous pourrez ensuite réserver les jours dans le calendrier.": "You can then book the days in the calendar.",
    "Places restantes : %(left)s.": "Places left: %(left)s.",
    "Confirmer : liste d'attente": "Confirm: waiting list",
    "Confirmer la demande": "Confirm the request",
    "Modifier la demande": "Change the request",
    "Les demandes et inscriptions de vos enfants — %(title)s": "Your children's requests and enrolments — %(title)s",
    "position %(position)s": "position %(position)s",
    "École : %(school)s": "School: %(school)s",
    "Paiement attendu": "Payment due",
    'Annuler l\'inscription<span class="visually-hidden"> de %(child)s à %(activity)s</span>':
        'Cancel the enrolment<span class="visually-hidden"> of %(child)s in %(activity)s</span>',
    'Retirer la demande<span class="visually-hidden"> de %(child)s à %(activity)s</span>':
        'Withdraw the request<span class="visually-hidden"> of %(child)s for %(activity)s</span>',
    "Aucune demande d'inscription pour ce service.": "No enrolment request for this service.",
    "Annuler une inscription": "Cancel an enrolment",
    "L'inscription ne peut pas être annulée": "The enrolment cannot be cancelled",
    "La demande quittera la liste d'attente.": "The request will leave the waiting list.",
    "La place sera rendue et donnée au premier de la liste d'attente.":
        "The place will be given back, to the first on the waiting list.",
    "Les jours du séjour seront annulés, selon le délai d'annulation du séjour.":
        "The days of the stay will be cancelled, under the stay's cancellation deadline.",
    "Confirmer l'annulation": "Confirm the cancellation",
    "Garder l'inscription": "Keep the enrolment",
    "Cette inscription n'est plus en cours.": "This enrolment is no longer open.",
    "Retour aux inscriptions": "Back to the enrolments",
    # Absences
    "Justifier une absence": "Justify an absence",
    "Envoyer un certificat médical": "Send a medical certificate",
    "Un enfant malade était réservé ? Avec un certificat médical envoyé dans le délai fixé par la commune (compté "
    "à partir de la fin du premier jour d'absence), les jours réservés ne sont pas facturés, une fois le "
    "justificatif accepté par le service.":
        "Was a sick child booked? With a medical certificate sent within the commune's delay (counted from the end "
        "of the first day of absence), the booked days are not charged, once the service accepts the certificate.",
    "Envoyez d'abord le certificat médical dans vos justificatifs, puis revenez sur cette page pour déclarer "
    "l'absence.":
        "First send the medical certificate with your documents, then come back to this page to declare the "
        "absence.",
    "Envoyer le certificat médical de %(name)s": "Send %(name)s's medical certificate",
    "L'absence": "The absence",
    "Le certificat médical": "The medical certificate",
    "Envoyer un autre certificat médical": "Send another medical certificate",
    "Voir les jours justifiés": "See the days justified",
    "Vos déclarations d'absence": "Your absence declarations",
    "Les absences déclarées pour vos enfants, de la plus récente à la plus ancienne":
        "The absences declared for your children, newest first",
    "Absence": "Absence",
    "Déclarée le": "Declared on",
    "Jours couverts": "Days covered",
    "aucun": "none",
    "Aucune absence déclarée.": "No absence declared.",
    "Confirmer la déclaration d'absence": "Confirm the absence declaration",
    "Mes justificatifs": "My supporting documents",
    "Message pour le service": "Message for the service",
    "%(type)s, envoyé le %(day)s": "%(type)s, sent on %(day)s",
    "Les jours justifiés": "The days justified",
    "%(name)s : à justifier avant le %(deadline)s.": "%(name)s: to be justified before %(deadline)s.",
    "Les jours qui ne seront pas justifiés": "The days that will not be justified",
    "Le service examine le certificat ; une fois la déclaration acceptée, ces jours ne sont pas facturés.":
        "The service reviews the certificate; once the declaration is accepted, these days are not charged.",
    "Déclarer l'absence": "Declare the absence",
    "Modifier": "Change",
    # History
    "Chaque réservation, annulation et passage en liste d'attente de vos enfants : quand (heure de Paris), par "
    "qui, avant et après.":
        "Each booking, cancellation and waiting-list change of your children: when (Paris time), by whom, before "
        "and after.",
    "Choisir un enfant": "Choose a child",
    "Tous mes enfants": "All my children",
    "Modifications, de la plus récente à la plus ancienne (page %(number)s sur %(count)s)":
        "Changes, newest first (page %(number)s of %(count)s)",
    "Le": "On",
    "Activité et jour": "Activity and day",
    "Opération": "Operation",
    "Avant": "Before",
    "Après": "After",
    "Par": "By",
    "hors délai, par dérogation": "past the deadline, by derogation",
    "Pages de l’historique": "History pages",
    "Modifications plus récentes": "Newer changes",
    "Modifications plus anciennes": "Older changes",
    "Aucune modification de réservation pour le moment.": "No booking change yet.",
    # Calendar feeds
    "Agenda des réservations": "Bookings calendar",
    "L'agenda ne peut pas être créé": "The calendar cannot be created",
    "L'adresse de l'agenda de %(name)s": "The address of %(name)s's calendar",
    "Copiez-la maintenant dans votre application d'agenda (« ajouter un calendrier par URL » ou « s'abonner ») : "
    "elle ne sera plus affichée. Gardez-la pour vous : qui la connaît voit les réservations.":
        "Copy it now into your calendar application (“add calendar from URL” or “subscribe”): it will not be "
        "shown again. Keep it to yourself: whoever knows it sees the bookings.",
    "Adresse de l'agenda": "Calendar address",
    "Les jours réservés d'un enfant dans votre application d'agenda (téléphone, messagerie), mis à jour à chaque "
    "lecture : deux mois en arrière, un an en avant.":
        "A child's booked days in your calendar application (phone, mail), updated at each reading: two months "
        "back, one year ahead.",
    "Créer une adresse d'agenda": "Create a calendar address",
    "Vos adresses d'agenda actives": "Your active calendar addresses",
    "Les adresses que vous avez créées et qui fonctionnent": "The addresses you created that work",
    "Créée le": "Created on",
    "Dernière lecture": "Last read",
    "jamais": "never",
    'Révoquer<span class="visually-hidden"> l\'agenda de %(name)s créé le %(day)s</span>':
        'Revoke<span class="visually-hidden"> the calendar of %(name)s created on %(day)s</span>',
    "Aucune adresse d'agenda active.": "No active calendar address.",
    "Révoquer une adresse d'agenda": "Revoke a calendar address",
    "L'adresse de l'agenda de %(name)s, créée le %(day)s, ne donnera plus rien, tout de suite : les applications "
    "qui la lisent n'afficheront plus les réservations.":
        "The address of %(name)s's calendar, created on %(day)s, will give nothing any more, at once: the "
        "applications that read it will no longer show the bookings.",
    "Révoquer l'adresse": "Revoke the address",
    "Garder l'adresse": "Keep the address",
    "Envoyée, en attente de validation par la commune : %(name)s":
        "Sent, awaiting the commune's validation: %(name)s",
    "Ce séjour se paie à l'inscription : dès qu'elle est active, une facture de %(amount)s € (%(days)s jours) vous est adressée, à régler au plus tard le %(first)s, premier jour du séjour.":
        "This stay is paid on enrolment: as soon as the enrolment is active, an invoice of %(amount)s € "
        "(%(days)s days) is sent to you, to be paid by %(first)s, the first day of the stay.",
    "Ce séjour se paie à l'inscription : dès qu'elle est active, une facture (%(days)s jours, au tarif que la commune n'a pas encore publié) vous est adressée, à régler au plus tard le %(first)s, premier jour du séjour.":
        "This stay is paid on enrolment: as soon as the enrolment is active, an invoice (%(days)s days, at a "
        "price the commune has not published yet) is sent to you, to be paid by %(first)s, the first day of the stay.",
}
