"""English for the interface strings of hall hire (merged by tools/translations_en.py)."""

EN = {
    # Staff screens
    "Date de la location": "Date of the hire",
    "Demande de location": "Hire request",
    "Opération inconnue.": "Unknown operation.",
    "Demande acceptée ; le demandeur est prévenu par e-mail.": "Request approved; the requester is told by e-mail.",
    "Demande refusée ; le créneau est libéré et le demandeur prévenu.":
        "Request refused; the slot is released and the requester told.",
    "Location annulée par la commune ; le demandeur est prévenu.":
        "Hire cancelled by the commune; the requester is told.",
    "Attestation d'assurance enregistrée.": "Insurance certificate recorded.",
    "Retenue sur la caution enregistrée ; le demandeur est prévenu.":
        "Deduction from the deposit recorded; the requester is told.",
    "Caution enregistrée.": "Deposit recorded.",
    "Calendrier des salles": "Halls calendar",
    "Des demandes de location portent sur ce créneau : il ne peut pas être supprimé. Décochez « proposé à la "
    "location » pour ne plus le proposer.":
        "Hire requests point at this slot: it cannot be deleted. Untick “offered for hire” to stop offering it.",
    # Calendar states
    "Libre": "Free",
    "Réservé": "Booked",
    "Demande en cours": "Request pending",
    "Votre demande": "Your request",
    "Fermé": "Closed",
    "Non proposé": "Not offered",
    "Délai dépassé": "Too late",
    "Pas encore ouvert": "Not open yet",
    # Request form
    "non résident": "non-resident",
    "Date": "Date",
    "Le jour où commence le créneau.": "The day the slot starts.",
    "Créneau": "Slot",
    "La demande est faite pour": "The request is made for",
    "Foyer": "Household",
    "Le tarif suit la résidence du foyer enregistrée par la commune.":
        "The price follows the household's residence as recorded by the commune.",
    "Nom de l'association": "Name of the association",
    "Numéro SIRET ou RNA": "SIRET or RNA number",
    "14 chiffres (SIRET) ou W suivi de 9 caractères (RNA).": "14 digits (SIRET) or W followed by 9 characters (RNA).",
    "Le siège de l'association est dans la commune": "The association's registered office is in the commune",
    "Tarif résident ; vérifié par la commune avant d'accepter la demande.":
        "Resident price; checked by the commune before approving the request.",
    "Personne à contacter": "Contact person",
    "Téléphone": "Phone",
    "Nature de l'événement": "Kind of event",
    "Par exemple : anniversaire, repas associatif, assemblée générale.":
        "For example: birthday party, association dinner, general meeting.",
    "Nombre de personnes attendues": "Number of people expected",
    "La salle accueille au plus %(limit_value)s personnes.": "The hall holds at most %(limit_value)s people.",
    "Au plus %(capacity)s personnes.": "At most %(capacity)s people.",
    "Indiquez le nom de l'association.": "Give the association's name.",
    "Indiquez le numéro SIRET ou RNA de l'association.": "Give the association's SIRET or RNA number.",
    "Ce numéro n'est ni un SIRET (14 chiffres, clé valide) ni un RNA (W suivi de 9 caractères).":
        "This number is neither a SIRET (14 digits, valid check digit) nor an RNA number (W followed by 9 "
        "characters).",
    "Choisissez le foyer pour lequel vous demandez la salle.": "Choose the household you are asking the hall for.",
    "Motif": "Reason",
    "Note (facultative)": "Note (optional)",
    "Montant retenu (€)": "Amount kept (€)",
    "Motif de la retenue": "Reason for the deduction",
    # Rules (halls.hire)
    "Indiquez le nom de l'association et un numéro SIRET (14 chiffres) ou RNA (W suivi de 9 caractères) valide.":
        "Give the association's name and a valid SIRET (14 digits) or RNA number (W followed by 9 characters).",
    "Choisissez qui fait la demande.": "Choose who makes the request.",
    "Ce foyer n'est pas le vôtre.": "This household is not yours.",
    "Ce foyer a choisi les démarches papier : adressez votre demande au service de la commune.":
        "This household chose paper: send your request to the commune's service.",
    "Connectez-vous pour demander une salle.": "Log in to request a hall.",
    "Cette salle n'est pas proposée à la location.": "This hall is not offered for hire.",
    "Ce créneau n'est pas proposé pour cette salle.": "This slot is not offered for this hall.",
    "Le créneau « %(slot)s » n'est pas proposé ce jour-là.": "The slot “%(slot)s” is not offered on that day.",
    "Cette date est passée.": "This date is past.",
    "Une demande doit être faite au moins %(days)s jours avant la date louée.":
        "A request must be made at least %(days)s days before the date hired.",
    "Les demandes ne sont ouvertes que %(days)s jours à l'avance.":
        "Requests open only %(days)s days in advance.",
    "La salle est fermée à cette date : %(reason)s.": "The hall is closed on that date: %(reason)s.",
    "Indiquez le nombre de personnes attendues.": "Give the number of people expected.",
    "La salle accueille au plus %(capacity)s personnes.": "The hall holds at most %(capacity)s people.",
    "Il manque une pièce en règle pour la date louée : %(names)s.":
        "A valid document is needed for the date hired: %(names)s.",
    "Indiquez une personne à contacter, son téléphone et son adresse e-mail.":
        "Give a contact person, their phone and their e-mail address.",
    "Indiquez la nature de l'événement.": "Give the kind of event.",
    "Ce créneau n'est plus libre : la salle est déjà demandée ou réservée sur ce créneau.":
        "This slot is no longer free: the hall is already requested or booked for it.",
    "Ce créneau vient d'être demandé par quelqu'un d'autre : choisissez-en un autre.":
        "Someone else has just requested this slot: choose another one.",
    "Cette demande a changé entre-temps : rechargez la page.": "This request changed meanwhile: reload the page.",
    "Seule une demande en attente peut être acceptée (état : %(status)s).":
        "Only a pending request can be approved (status: %(status)s).",
    "Cette demande a expiré : le créneau n'est plus réservé pour elle.":
        "This request has expired: the slot is no longer held for it.",
    "La date de cette location est passée.": "The date of this hire is past.",
    "L'attestation d'assurance n'est pas vérifiée : enregistrez-la avant d'accepter.":
        "The insurance certificate is not checked: record it before approving.",
    "Le créneau de cette demande n'est plus réservé pour elle.": "The slot of this request is no longer held for it.",
    "Indiquez le motif du refus : il est envoyé au demandeur.":
        "Give the reason for the refusal: it is sent to the requester.",
    "Seule une demande en attente peut être refusée (état : %(status)s).":
        "Only a pending request can be refused (status: %(status)s).",
    "Cette demande n'est plus en cours.": "This request is no longer current.",
    "L'attestation d'assurance est déjà enregistrée.": "The insurance certificate is already recorded.",
    "Indiquez le motif de l'annulation : il est envoyé au demandeur.":
        "Give the reason for the cancellation: it is sent to the requester.",
    "Cette demande n'est plus en cours : elle ne peut pas être annulée.":
        "This request is no longer current: it cannot be cancelled.",
    "La location a commencé ou est passée : elle ne peut plus être annulée en ligne.":
        "The hire has started or is past: it can no longer be cancelled online.",
    "La caution se remet pour une location en cours.": "A deposit is handed in for a current hire.",
    "Le montant retenu doit être positif et ne pas dépasser la caution (%(deposit)s).":
        "The amount kept must be positive and no more than the deposit (%(deposit)s).",
    "Indiquez le motif de la retenue : il est envoyé au demandeur.":
        "Give the reason for the deduction: it is sent to the requester.",
    "La caution est %(status)s : cette opération n'est pas possible.":
        "The deposit is %(status)s: this operation is not possible.",
    # Models
    "salle": "hall",
    "délai minimum de demande (jours)": "minimum notice for a request (days)",
    "Une demande doit arriver au moins ce nombre de jours avant la date louée.":
        "A request must arrive at least this many days before the date hired.",
    "réservation possible jusqu'à (jours à l'avance)": "requests open up to (days in advance)",
    "durée de maintien d'une demande en attente (jours)": "how long a pending request holds its slot (days)",
    "Une demande en attente bloque le créneau pendant ce délai (premier arrivé, premier servi) ; sans décision, "
    "elle expire et le créneau est libéré.":
        "A pending request holds the slot for this time (first come, first served); without a decision it "
        "expires and the slot is released.",
    "informations pour le demandeur": "information for the requester",
    "Remise des clés, ménage, rangement... affiché avec la demande.":
        "Keys, cleaning, tidying up... shown with the request.",
    "conditions de location": "hire terms",
    "Le délai maximum doit dépasser le délai minimum de demande.":
        "The maximum advance must exceed the minimum notice.",
    "le jour même": "the same day",
    "le lendemain": "the next day",
    "deux jours après": "two days later",
    "trois jours après": "three days later",
    "Par exemple Journée, Soirée, Week-end.": "For example Day, Evening, Weekend.",
    "Heure de Paris, par multiple de 30 minutes.": "Paris time, in steps of 30 minutes.",
    "se termine": "ends",
    "jours de début possibles": "days it may start on",
    "Les jours de la semaine où ce créneau peut commencer (le samedi pour un week-end).":
        "The weekdays on which this slot may start (Saturday for a weekend).",
    "proposé à la location": "offered for hire",
    "créneau de location": "hire slot",
    "créneaux de location": "hire slots",
    "Indiquez une heure par multiple de 30 minutes (par exemple 18:00 ou 18:30).":
        "Give a time in steps of 30 minutes (for example 18:00 or 18:30).",
    "L'heure de fin doit suivre l'heure de début (ou choisissez « le lendemain »).":
        "The end time must follow the start time (or choose “the next day”).",
    "Cochez au moins un jour de la semaine.": "Tick at least one weekday.",
    "Vide : toutes les salles.": "Empty: every hall.",
    "motif": "reason",
    "Affiché dans le calendrier des salles.": "Shown in the halls' calendar.",
    "fermeture de salle": "hall closure",
    "fermetures de salle": "hall closures",
    "toutes les salles": "every hall",
    "en attente de décision": "awaiting a decision",
    "acceptée": "accepted",
    "refusée": "refused",
    "état": "status",
    "annulée": "cancelled",
    "expirée sans décision": "expired without a decision",
    "un particulier": "a private person",
    "une association": "an association",
    "à remettre": "to hand in",
    "reçue": "received",
    "restituée": "returned",
    "retenue": "kept",
    "référence": "reference",
    "créneau": "slot",
    "date": "date",
    "début": "start",
    "fin": "end",
    "compte demandeur": "requester's account",
    "demandeur": "requester",
    "tarif résident": "resident price",
    "nom de l'association": "name of the association",
    "numéro SIRET ou RNA": "SIRET or RNA number",
    "siège de l'association dans la commune (déclaré)": "association's office in the commune (declared)",
    "personne à contacter": "contact person",
    "nature de l'événement": "kind of event",
    "nombre de personnes attendues": "number of people expected",
    "tarif": "price",
    "premier palier d'annulation (jours)": "first cancellation tier (days)",
    "frais au premier palier (%)": "fee at the first tier (%)",
    "second palier d'annulation (jours)": "second cancellation tier (days)",
    "frais au second palier (%)": "fee at the second tier (%)",
    "demandée le": "requested on",
    "expire le": "expires on",
    "Sans décision à cette date, la demande expire.": "Without a decision by then, the request expires.",
    "décidée le": "decided on",
    "décidée par": "decided by",
    "motif de la décision": "reason for the decision",
    "attestation d'assurance vérifiée le": "insurance certificate checked on",
    "attestation vérifiée par": "certificate checked by",
    "annulée le": "cancelled on",
    "annulée par": "cancelled by",
    "annulée par la commune": "cancelled by the commune",
    "motif de l'annulation": "reason for the cancellation",
    "frais d'annulation": "cancellation fee",
    "caution reçue le": "deposit received on",
    "caution restituée ou retenue le": "deposit returned or kept on",
    "montant retenu sur la caution": "amount kept from the deposit",
    "motif de la retenue": "reason for the deduction",
    "demande de location": "hire request",
    "demandes de location": "hire requests",
    "Décider des demandes de location de salle": "Decide on hall hire requests",
    "Enregistrer les cautions des locations de salle": "Record the deposits of hall hires",
    "début de l'unité (UTC)": "start of the unit (UTC)",
    "demande": "request",
    "occupation de salle": "hall occupancy",
    "occupations de salle": "hall occupancies",
    # The hall itself (services.models.Hall)
    "capacité (personnes)": "capacity (people)",
    "tarif Aulnoysiens": "price for residents (Aulnoysiens)",
    "tarif extérieurs": "price for non-residents",
    "caution": "deposit",
    "premier palier d'annulation (jours avant)": "first cancellation tier (days before)",
    # gettext reads "% d" in these two French labels as a format directive (python-format): the English must
    # keep one too ("% o"), or msgfmt refuses the catalogue. The labels are never %-formatted.
    "frais d'annulation au premier palier (% du tarif)": "cancellation fee at the first tier (% of the price)",
    "Dus si l'annulation intervient moins de jours avant que ce palier.":
        "Due if the cancellation comes fewer days before the date than this tier.",
    "second palier d'annulation (jours avant)": "second cancellation tier (days before)",
    "frais d'annulation au second palier (% du tarif)": "cancellation fee at the second tier (% of the price)",
    "attestation d'assurance exigée": "insurance certificate required",
    "proposée à la location": "offered for hire",
    "salle municipale": "municipal hall",
    "salles municipales": "municipal halls",
    "Le second palier doit être plus proche de la date que le premier.":
        "The second tier must be closer to the date than the first.",
    "Les frais du second palier ne peuvent pas être inférieurs à ceux du premier.":
        "The fee of the second tier cannot be lower than that of the first.",
    # Staff templates
    "Salle": "Hall",
    "Mois": "Month",
    "Afficher": "Show",
    "%(name)s — %(period)s": "%(name)s — %(period)s",
    "Mois précédent": "Previous month",
    "Mois suivant": "Next month",
    "Occupation de la salle %(name)s, %(period)s": "Occupancy of %(name)s, %(period)s",
    "Jour": "Day",
    "Aucun créneau n'est défini pour cette salle : ajoutez-en dans « Créneaux ».":
        "No slot is defined for this hall: add some in “Slots”.",
    "Aucune salle.": "No hall.",
    "%(reference)s — %(status)s": "%(reference)s — %(status)s",
    "Le délai de maintien est dépassé : la demande va expirer et ne peut plus être acceptée.":
        "The hold has lapsed: the request is about to expire and can no longer be approved.",
    "À décider avant le %(date)s : sans décision, la demande expire et le créneau est libéré.":
        "To decide before %(date)s: without a decision the request expires and the slot is released.",
    "Voir le calendrier de la salle": "See the hall's calendar",
    "%(capacity)s personnes": "%(capacity)s people",
    "Date et créneau": "Date and slot",
    "du %(start)s au %(end)s": "from %(start)s to %(end)s",
    "Demandeur": "Requester",
    "Association %(name)s, n° %(number)s": "Association %(name)s, no. %(number)s",
    "siège déclaré dans la commune (tarif résident) : à vérifier":
        "office declared in the commune (resident price): to check",
    "Foyer %(name)s (%(code)s)": "Household %(name)s (%(code)s)",
    "résident": "resident",
    "Particulier sans foyer dans la commune": "Private person without a household in the commune",
    "Compte demandeur": "Requester's account",
    "Contact": "Contact",
    "Événement": "Event",
    "%(guests)s personnes attendues": "%(guests)s people expected",
    "Tarif": "Price",
    "extérieur": "non-resident",
    "Demandée le": "Requested on",
    "Décision": "Decision",
    "Annulation": "Cancellation",
    "par la commune :": "by the commune:",
    "par le demandeur, frais %(fee)s": "by the requester, fee %(fee)s",
    "Attestation d'assurance": "Insurance certificate",
    "non exigée": "not required",
    "vérifiée le %(date)s": "checked on %(date)s",
    "valide dans les pièces du foyer": "valid in the household's documents",
    "manquante dans les pièces du foyer : %(names)s": "missing from the household's documents: %(names)s",
    "à remettre par le demandeur": "to be handed in by the requester",
    "Caution": "Deposit",
    "%(amount)s retenus : %(reason)s": "%(amount)s kept: %(reason)s",
    "Frais si le demandeur annulait aujourd'hui": "Fee if the requester cancelled today",
    "Décider": "Decide",
    "L'attestation d'assurance doit être vérifiée avant d'accepter.":
        "The insurance certificate must be checked before approving.",
    "J'ai vérifié l'attestation d'assurance": "I have checked the insurance certificate",
    "Accepter la demande": "Approve the request",
    "Refuser la demande": "Refuse the request",
    "Annuler pour la commune": "Cancel for the commune",
    "Sans frais pour le demandeur, qui est prévenu par e-mail avec le motif.":
        "No fee for the requester, who is told by e-mail with the reason.",
    "Annuler la location": "Cancel the hire",
    "Caution reçue (%(amount)s)": "Deposit received (%(amount)s)",
    "Caution restituée en totalité": "Deposit returned in full",
    "Retenir sur la caution": "Keep part of the deposit",
    "Historique": "History",
    "Opérations tracées sur cette demande": "Operations traced on this request",
    "Opération": "Operation",
    "Auteur": "Author",
    "Résumé": "Summary",
    "système": "system",
    "Demandes de location à décider : %(count)s": "Hire requests to decide: %(count)s",
    "Demandes de location en attente, la plus proche de son expiration d'abord":
        "Pending hire requests, the one expiring soonest first",
    "Expire le": "Expires on",
    "Toutes les demandes en attente": "Every pending request",
    "Aucune demande en attente.": "No pending request.",
    # Parent screens
    "de %(start)s à %(end)s": "from %(start)s to %(end)s",
    "Fil d’Ariane": "Breadcrumb",
    "Disponibilités : %(name)s, %(period)s": "Availability: %(name)s, %(period)s",
    "Disponibilités : %(name)s": "Availability: %(name)s",
    "Une demande se fait au moins %(notice)s jours et au plus %(advance)s jours avant la date. Choisissez un "
    "créneau libre pour faire votre demande.":
        "A request is made at least %(notice)s days and at most %(advance)s days before the date. Choose a free "
        "slot to make your request.",
    "Changer de mois": "Change month",
    "Mois précédent (%(period)s)": "Previous month (%(period)s)",
    "Mois suivant (%(period)s)": "Next month (%(period)s)",
    "%(name)s, %(period)s — créneaux libres : %(free)s": "%(name)s, %(period)s — free slots: %(free)s",
    "demander le créneau %(slot)s du %(day)s": "request the slot %(slot)s on %(day)s",
    "Aucun créneau n'est proposé pour cette salle pour l'instant.": "No slot is offered for this hall yet.",
    "Habitants de la commune :": "Residents of the commune:",
    "Extérieurs :": "Non-residents:",
    "Caution :": "Deposit:",
    "Annuler la demande %(reference)s": "Cancel request %(reference)s",
    "Demande de location %(reference)s": "Hire request %(reference)s",
    "Retour à la demande": "Back to the request",
    "Si vous annulez aujourd'hui, des frais d'annulation de %(fee)s vous seront facturés.":
        "If you cancel today, a cancellation fee of %(fee)s will be invoiced to you.",
    "Si vous annulez aujourd'hui, aucun frais ne vous sera facturé.": "If you cancel today, no fee is charged.",
    "Annuler la demande (frais : %(fee)s)": "Cancel the request (fee: %(fee)s)",
    "Annuler la demande sans frais": "Cancel the request free of charge",
    "Garder ma demande": "Keep my request",
    "Annulation d'une location acceptée : sans frais jusqu'à %(first)s jours avant la date ; %(first_pct)s %% du "
    "tarif à moins de %(first)s jours ; %(second_pct)s %% à moins de %(second)s jours. Une demande encore en "
    "attente s'annule sans frais.":
        "Cancelling an approved hire: free up to %(first)s days before the date; %(first_pct)s %% of the price "
        "under %(first)s days; %(second_pct)s %% under %(second)s days. A request still pending is cancelled "
        "free of charge.",
    "La demande ne peut pas être faite": "The request cannot be made",
    "Le formulaire contient des erreurs": "The form has errors",
    "Déposer : %(name)s": "Upload: %(name)s",
    "À déposer dans votre espace famille : %(name)s": "To upload in your family space: %(name)s",
    "Frais d'annulation selon la date d'annulation": "Cancellation fee by date of cancellation",
    "Frais": "Fee",
    "du %(first)s au %(last)s": "from %(first)s to %(last)s",
    "jusqu'au %(last)s": "until %(last)s",
    "sans frais": "free of charge",
    "obligatoire": "required",
    "Association %(name)s (n° %(number)s)": "Association %(name)s (no. %(number)s)",
    "%(what)s — personnes attendues : %(guests)s": "%(what)s — people expected: %(guests)s",
    "tarif résident (siège déclaré dans la commune, vérifié par la commune)":
        "resident price (office declared in the commune, checked by the commune)",
    "tarif extérieur": "non-resident price",
    "remise à la commune avant la location, restituée après l'état des lieux":
        "handed to the commune before the hire, returned after the inspection",
    "Louer une salle municipale": "Hire a municipal hall",
    "Choisissez une salle, consultez ses disponibilités et demandez une date et un créneau. La commune accepte "
    "ou refuse la demande ; en attendant, le créneau vous est réservé.":
        "Choose a hall, look at its availability and request a date and a slot. The commune approves or refuses "
        "the request; meanwhile the slot is held for you.",
    "Voir toutes mes demandes de location": "See all my hire requests",
    "Mes locations en cours": "My current hires",
    "Capacité": "Capacity",
    "jusqu'à %(capacity)s personnes": "up to %(capacity)s people",
    "Tarif pour les habitants de la commune": "Price for residents of the commune",
    "Tarif pour les extérieurs": "Price for non-residents",
    "Créneaux proposés": "Slots offered",
    "Aucun créneau n'est proposé pour l'instant.": "No slot is offered yet.",
    "Assurance": "Insurance",
    "Une attestation d'assurance responsabilité civile valable à la date louée est exigée.":
        "A third-party liability insurance certificate valid on the date hired is required.",
    "Aucune salle n'est proposée à la location pour l'instant.": "No hall is offered for hire yet.",
    "Mes demandes de location": "My hire requests",
    "Vos demandes de location de salle, de la plus lointaine à la plus ancienne":
        "Your hall hire requests, from the furthest ahead to the oldest",
    "Référence": "Reference",
    "État": "Status",
    "Vous n'avez fait aucune demande de location.": "You have made no hire request.",
    "Demander une salle": "Request a hall",
    "État :": "Status:",
    "le créneau vous est réservé jusqu'à la décision de la commune, au plus tard le %(date)s.":
        "the slot is held for you until the commune decides, at the latest on %(date)s.",
    "Motif du refus :": "Reason for the refusal:",
    "Message de la commune :": "Message from the commune:",
    "Annulée par la commune : %(reason)s": "Cancelled by the commune: %(reason)s",
    "Annulée le %(date)s ; frais d'annulation : %(fee)s.": "Cancelled on %(date)s; cancellation fee: %(fee)s.",
    "Assurance et caution": "Insurance and deposit",
    "en ordre": "in order",
    "à remettre à l'accueil de la mairie ou à envoyer au service":
        "to hand in at the town hall's reception or send to the service",
    "Frais si vous annulez une location acceptée": "Fee if you cancel an approved hire",
    "Annuler cette demande": "Cancel this request",
    "Demande de location : %(name)s": "Hire request: %(name)s",
    "Tous les champs sont obligatoires, sauf ceux de l'association quand vous demandez la salle pour vous-même. "
    "L'étape suivante affiche le tarif, la caution et les frais d'annulation avant que vous confirmiez.":
        "Every field is required, except the association's when you ask for the hall for yourself. The next step "
        "shows the price, the deposit and the cancellation fees before you confirm.",
    "Votre compte n'est relié à aucun foyer de la commune : le tarif extérieur s'applique à une demande pour "
    "vous-même, et l'attestation d'assurance se remet au service.":
        "Your account is linked to no household of the commune: the non-resident price applies to a request for "
        "yourself, and the insurance certificate is handed in to the service.",
    "Pour une association": "For an association",
    "L'attestation d'assurance de l'association se remet à l'accueil de la mairie ou s'envoie au service : la "
    "commune l'enregistre avant d'accepter la demande.":
        "The association's insurance certificate is handed in at the town hall's reception or sent to the "
        "service: the commune records it before approving the request.",
    "Contact et événement": "Contact and event",
    "Voir le tarif et confirmer": "See the price and confirm",
    "Confirmer la demande : %(name)s": "Confirm the request: %(name)s",
    "Vérifiez votre demande : rien n'est encore enregistré.": "Check your request: nothing is recorded yet.",
    "Une demande encore en attente de décision s'annule sans frais.":
        "A request still awaiting a decision is cancelled free of charge.",
    "Attestation d'assurance : remettez-la à l'accueil de la mairie ou envoyez-la au service. La commune "
    "l'enregistre avant d'accepter la demande.":
        "Insurance certificate: hand it in at the town hall's reception or send it to the service. The commune "
        "records it before approving the request.",
    "En confirmant, le créneau vous est réservé jusqu'à la décision de la commune, au plus tard le %(date)s ; "
    "sans décision à cette date, la demande expire.":
        "Once you confirm, the slot is held for you until the commune decides, at the latest on %(date)s; "
        "without a decision by then, the request expires.",
    "Confirmer la demande (%(price)s)": "Confirm the request (%(price)s)",
    "Modifier la demande": "Change the request",
    "Votre demande %(reference)s est enregistrée : le créneau vous est réservé en attendant la décision de la "
    "commune.":
        "Your request %(reference)s is recorded: the slot is held for you until the commune decides.",
    "Votre demande %(reference)s est annulée.": "Your request %(reference)s is cancelled.",
    "La location de salles n'est pas proposée sur ce portail.": "Hall hire is not offered on this portal.",
    # Admin menu and hooks
    "Demandes de location": "Hire requests",
    "Créneaux": "Slots",
    "Fermetures": "Closures",
    "Conditions de location": "Hire terms",
    "Disponibilités des salles municipales, vos demandes de location.":
        "Availability of the municipal halls, your hire requests.",
    "Locations de salle": "Hall hires",
    "Location de salles": "Hall hire",
    # E-mails
    "Location %(reference)s annulée par la commune — %(name)s":
        "Hire %(reference)s cancelled by the commune — %(name)s",
    "Bonjour %(name)s,": "Hello %(name)s,",
    "La commune annule votre location %(reference)s de la salle %(hall)s, le %(date)s (%(slot)s), sans frais pour "
    "vous.":
        "The commune cancels your hire %(reference)s of %(hall)s on %(date)s (%(slot)s), at no cost to you.",
    "Motif :": "Reason:",
    "Le Portail Famille": "The Family Portal",
    "Caution de la location %(reference)s": "Deposit of hire %(reference)s",
    "Sur la caution de votre location %(reference)s, la commune retient %(kept)s ; %(returned)s vous sont "
    "restitués.":
        "From the deposit of your hire %(reference)s, the commune keeps %(kept)s; %(returned)s is returned to you.",
    "La caution de votre location %(reference)s (%(amount)s) vous est restituée.":
        "The deposit of your hire %(reference)s (%(amount)s) is returned to you.",
    "Location %(reference)s acceptée — %(name)s": "Hire %(reference)s approved — %(name)s",
    "La commune accepte votre demande %(reference)s : la salle %(hall)s vous est louée le %(date)s (%(slot)s).":
        "The commune approves your request %(reference)s: %(hall)s is hired to you on %(date)s (%(slot)s).",
    "Du %(start)s au %(end)s.": "From %(start)s to %(end)s.",
    "Tarif :": "Price:",
    "Caution à remettre avant la location :": "Deposit to hand in before the hire:",
    "Frais si vous annulez :": "Fee if you cancel:",
    "Votre location :": "Your hire:",
    "Demande de location %(reference)s annulée — %(name)s": "Hire request %(reference)s cancelled — %(name)s",
    "Votre demande %(reference)s pour la salle %(hall)s, le %(date)s (%(slot)s), est annulée.":
        "Your request %(reference)s for %(hall)s on %(date)s (%(slot)s) is cancelled.",
    "Frais d'annulation : %(fee)s ; ils vous seront facturés.":
        "Cancellation fee: %(fee)s; it will be invoiced to you.",
    "Aucun frais d'annulation.": "No cancellation fee.",
    "Demande de location %(reference)s expirée — %(name)s": "Hire request %(reference)s expired — %(name)s",
    "Votre demande %(reference)s pour la salle %(hall)s, le %(date)s (%(slot)s), n'a pas reçu de décision dans le "
    "délai prévu : elle a expiré et le créneau est libéré.":
        "Your request %(reference)s for %(hall)s on %(date)s (%(slot)s) received no decision in time: it has "
        "expired and the slot is released.",
    "Vous pouvez refaire une demande sur le portail ou contacter le service.":
        "You can make a new request on the portal or contact the service.",
    "Demande de location %(reference)s enregistrée — %(name)s": "Hire request %(reference)s recorded — %(name)s",
    "Votre demande %(reference)s pour la salle %(hall)s, le %(date)s (%(slot)s), est enregistrée.":
        "Your request %(reference)s for %(hall)s on %(date)s (%(slot)s) is recorded.",
    "Le créneau vous est réservé jusqu'à la décision de la commune, au plus tard le %(date)s.":
        "The slot is held for you until the commune decides, at the latest on %(date)s.",
    "Remettez l'attestation d'assurance à l'accueil de la mairie ou envoyez-la au service : la commune "
    "l'enregistre avant d'accepter la demande.":
        "Hand in the insurance certificate at the town hall's reception or send it to the service: the commune "
        "records it before approving the request.",
    "Frais si vous annulez une location acceptée :": "Fee if you cancel an approved hire:",
    "Suivre votre demande :": "Follow your request:",
    "Demande de location %(reference)s refusée — %(name)s": "Hire request %(reference)s refused — %(name)s",
    "La commune ne peut pas accepter votre demande %(reference)s pour la salle %(hall)s, le %(date)s (%(slot)s).":
        "The commune cannot approve your request %(reference)s for %(hall)s on %(date)s (%(slot)s).",
    "Le créneau est libéré ; vous pouvez faire une autre demande sur le portail.":
        "The slot is released; you can make another request on the portal.",
    "Nouvelle demande de location %(reference)s — %(name)s, %(date)s":
        "New hire request %(reference)s — %(name)s, %(date)s",
    "Nouvelle demande %(reference)s : salle %(hall)s, le %(date)s (%(slot)s).":
        "New request %(reference)s: %(hall)s on %(date)s (%(slot)s).",
    "Demandeur :": "Requester:",
    "À décider avant le %(date)s : sans décision, la demande expire.":
        "To decide before %(date)s: without a decision, the request expires.",
}
