"""English for the services' models (field labels, choices, help texts and validation
messages of services.models, seen by staff in the admin), for the domain's own messages
and audit-trail summaries (services.enrolments, bookings, attendance, absences, feeds) and
for the services' e-mails to families (templates/emails/services_*); merged by
tools/translations_en.py. The hall model's strings are in halls/translations_en.py."""

EN = {
    # Choice lists (services.models)
    "toute petite section": "nursery school, youngest class (TPS)",
    "petite section": "nursery school, first year (PS)",
    "moyenne section": "nursery school, second year (MS)",
    "grande section": "nursery school, final year (GS)",
    "Une liste de valeurs est attendue.": "A list of values is expected.",
    "Valeur(s) inconnue(s) : %(values)s.": "Unknown value(s): %(values)s.",
    # Service
    "réservations à la journée": "bookings by the day",
    "séances avec places limitées": "sessions with limited places",
    "demande d'inscription scolaire": "school enrolment request",
    "cours à l'année": "yearly course",
    "location de salle": "hall hire",
    "forme": "shape",
    "présentation courte": "short presentation",
    "ordre d'affichage": "display order",
    "ouvert aux familles": "open to families",
    # School year
    "Par exemple 2026-2027.": "For example 2026-2027.",
    "date de rentrée": "first day of school",
    "fin des cours": "last day of classes",
    "année scolaire": "school year",
    "années scolaires": "school years",
    "La fin de l'année scolaire doit suivre la rentrée.": "The end of the school year must come after the first day of school.",
    # Calendar periods
    "vacances scolaires": "school holidays",
    "jour férié": "public holiday",
    "fermeture": "closure",
    "premier jour": "first day",
    "dernier jour (inclus)": "last day (included)",
    "activité fermée": "closed activity",
    "Seulement pour une fermeture propre à une activité ; vide : toutes les activités.":
        "Only for a closure of a single activity; empty: every activity.",
    "identifiant d'import": "import identifier",
    "UID de l'événement iCalendar importé ; vide pour une saisie manuelle.":
        "UID of the imported iCalendar event; empty for a manual entry.",
    "période du calendrier": "calendar period",
    "périodes du calendrier": "calendar periods",
    # Deadline rules
    "N jours avant, à l'heure indiquée": "N days before, at the given time",
    "N jours ouvrés avant, à l'heure indiquée": "N working days before, at the given time",
    "tel jour et heure de la semaine précédente": "a given day and time of the previous week",
    "tel jour et heure de la semaine S-N": "a given day and time of week W-N",
    "vacances : N jours pleins avant le premier jour de la période": "holidays: N full days before the first day of the period",
    "type de délai": "kind of deadline",
    "nombre de jours": "number of days",
    "Jours calendaires, jours ouvrés, ou jours pleins avant les vacances selon le type.":
        "Calendar days, working days, or full days before the holidays, depending on the kind.",
    "heure limite": "closing time",
    "Heure de Paris, par exemple 12:00.": "Paris time, for example 12:00.",
    "jour de la semaine": "weekday",
    "nombre de semaines avant": "number of weeks before",
    "Pour « semaine S-N » : 1 = la semaine précédente, 2 = deux semaines avant.":
        "For “week W-N”: 1 = the previous week, 2 = two weeks before.",
    "jours non ouvrés en plus": "extra non-working days",
    "Jours ouvrés : samedi, dimanche et jours fériés ne comptent jamais ; cochez d'autres jours à ne pas compter "
    "(par exemple le mercredi).":
        "Working days: Saturday, Sunday and public holidays never count; tick other days not to count (for "
        "example Wednesday).",
    "règle hors vacances": "rule outside the holidays",
    "Pour une clôture par période : règle appliquée hors vacances scolaires (à défaut, N jours avant à l'heure "
    "indiquée).":
        "For a closing by period: the rule applied outside the school holidays (if none, N days before at the "
        "given time).",
    "règle de délai": "deadline rule",
    "règles de délai": "deadline rules",
    "Indiquez le nombre de jours.": "Enter the number of days.",
    "Indiquez un nombre de jours ouvrés d'au moins 1.": "Enter a number of working days of at least 1.",
    "Il doit rester au moins un jour ouvré dans la semaine.": "At least one working day must remain in the week.",
    "Choisissez le jour de la semaine.": "Choose the weekday.",
    "Indiquez un nombre de semaines d'au moins 1.": "Enter a number of weeks of at least 1.",
    "Une règle hors vacances ne s'utilise qu'avec une clôture par période.":
        "A rule outside the holidays is only used with a closing by period.",
    "Une règle ne peut pas être sa propre règle hors vacances.":
        "A rule cannot be its own rule outside the holidays.",
    "La règle hors vacances ne peut pas être elle-même une clôture par période.":
        "The rule outside the holidays cannot itself be a closing by period.",
    # Activity
    "journée": "full day",
    "demi-journée": "half day",
    "séance": "session",
    "séjour": "stay",
    "inscription scolaire": "school enrolment",
    "créneau de salle": "hall slot",
    "lieu": "venue",
    "Par exemple le restaurant scolaire.": "For example the school canteen.",
    "jours de fonctionnement": "operating days",
    "fonctionne en période scolaire": "runs during school terms",
    "fonctionne pendant les vacances": "runs during the holidays",
    "Dates d'un séjour ou d'une saison ; vide : sans limite.": "Dates of a stay or a season; empty: no limit.",
    "dernier jour": "last day",
    "heure de début": "start time",
    "heure de fin": "end time",
    "places": "places",
    "inscription validée par un agent": "enrolment validated by an agent",
    "âge minimum (ans)": "minimum age (years)",
    "âge maximum (ans)": "maximum age (years)",
    "niveaux de classe admis": "class levels admitted",
    "Aucun coché : tous les niveaux.": "None ticked: every level.",
    "paiement à la réservation": "payment when booked",
    "délai de réservation": "booking deadline",
    "Vide : réservation possible jusqu'au début de l'activité.": "Empty: booking possible until the activity starts.",
    "délai d'annulation": "cancellation deadline",
    "Vide : le même délai que pour réserver.": "Empty: the same deadline as for booking.",
    "annulation pour enfant malade le jour même jusqu'à": "same-day cancellation for a sick child until",
    "Par exemple 09:00 ; vide : pas d'annulation le jour même.": "For example 09:00; empty: no same-day cancellation.",
    "repas servi": "meal served",
    "Compté dans les effectifs de repas transmis à la cuisine.": "Counted in the meal counts sent to the kitchen.",
    "délai pour justifier une absence (heures)": "time allowed to justify an absence (hours)",
    "Compté à partir de la fin du premier jour d'absence, par exemple 72 ; vide : aucune absence n'est "
    "justifiable.":
        "Counted from the end of the first day of absence, for example 72; empty: no absence can be justified.",
    "ouverte aux familles": "open to families",
    "activités": "activities",
    "L'âge maximum doit être supérieur ou égal à l'âge minimum.":
        "The maximum age must be greater than or equal to the minimum age.",
    "L'heure de fin doit suivre l'heure de début.": "The end time must follow the start time.",
    "L'activité doit fonctionner en période scolaire, pendant les vacances, ou les deux.":
        "The activity must run during school terms, during the holidays, or both.",
    "%(taken)s places sont déjà prises le %(day)s : le nombre de places ne peut pas descendre en dessous.":
        "%(taken)s places are already taken on %(day)s: the number of places cannot go below that.",
    # Places
    "séance ou journée": "session or day",
    "période d'inscription": "enrolment period",
    "portée": "scope",
    "nombre de places propre à ce jour": "number of places specific to this day",
    "Coché : ce nombre ne suit plus celui de l'activité.": "Ticked: this number no longer follows the activity's.",
    "places prises": "places taken",
    "intitulé de la séance": "title of the session",
    "Par exemple « Sortie patinoire ».": "For example “Ice rink outing”.",
    "places d'une séance": "places of a session",
    "places par séance": "places per session",
    "Plus de places prises que de places disponibles.": "More places taken than places available.",
    "%(taken)s places sont déjà prises : il ne peut pas y en avoir moins.":
        "%(taken)s places are already taken: there cannot be fewer.",
    # Enrolment
    "frère ou sœur déjà scolarisé dans l'école demandée": "brother or sister already at the requested school",
    "mode de garde ou assistante maternelle près de l'école demandée":
        "childcare or childminder near the requested school",
    "lieu de travail d'un parent près de l'école demandée": "a parent's workplace near the requested school",
    "raison médicale": "medical reason",
    "déménagement en cours d'année": "moving house during the year",
    "autre motif": "other reason",
    "sans paiement à la réservation": "no payment when booked",
    "paiement attendu": "payment due",
    "payé": "paid",
    "du": "from",
    "au": "to",
    "motif de dérogation": "reason for the derogation",
    "en liste d'attente depuis": "on the waiting list since",
    "décision le": "decided on",
    "décision par": "decided by",
    "classe demandée": "requested class",
    "école d'affectation": "assigned school",
    "école souhaitée (dérogation)": "requested school (derogation)",
    "précisions sur la dérogation": "details of the derogation",
    "dérogation accordée": "derogation granted",
    "inscrit par la commune le": "registered by the commune on",
    "admis par l'école le": "admitted by the school on",
    "référence du paiement": "payment reference",
    "payé le": "paid on",
    "inscriptions": "enrolments",
    # Booking and its history
    "réservé le": "booked on",
    "réservé par (parent)": "booked by (parent)",
    "Le parent qui a réservé ; vide quand un agent a réservé pour la famille.":
        "The parent who booked; empty when an agent booked for the family.",
    "réservé après le délai": "booked after the deadline",
    "annulé le": "cancelled on",
    "annulé après le délai": "cancelled after the deadline",
    "annulé pour enfant malade": "cancelled for a sick child",
    "dernière modification le": "last changed on",
    "dernière modification par": "last changed by",
    "modifié par un agent": "changed by an agent",
    "réservations": "bookings",
    "annulation": "cancellation",
    "inscription sur liste d'attente": "put on the waiting list",
    "place obtenue depuis la liste d'attente": "place obtained from the waiting list",
    "annulation pour enfant malade": "cancellation for a sick child",
    "retrait de la liste d'attente": "removal from the waiting list",
    "liste d'attente close (délai passé)": "waiting list closed (deadline passed)",
    "jour réservé": "booked day",
    "par": "by",
    "par (libellé)": "by (label)",
    "dérogation au délai": "deadline override",
    "précision": "detail",
    "modification de réservation": "booking change",
    "historique des réservations": "booking history",
    # Attendance
    "maladie": "illness",
    "sortie scolaire ou absence de l'enseignant": "school outing or teacher absent",
    "raison familiale": "family reason",
    "grève": "strike",
    "sans nouvelles": "no news",
    "autre": "other",
    "motif d'absence": "reason for absence",
    "pointé le": "marked on",
    "pointé par": "marked by",
    "pointages": "attendance records",
    # Absence justifications
    "premier jour d'absence": "first day of absence",
    "dernier jour d'absence": "last day of absence",
    "certificat médical": "medical certificate",
    "réservations justifiées": "justified bookings",
    "message du parent": "parent's message",
    "déclarée le": "declared on",
    "déclarée par": "declared by",
    "justificatifs d'absence": "absence justifications",
    # Calendar feeds
    "dernière lecture le": "last read on",
    "agenda iCalendar": "iCalendar feed",
    "agendas iCalendar": "iCalendar feeds",
    # Domain messages and audit trail: absences (services.absences)
    "déjà couvert par un autre justificatif": "already covered by another justification",
    "cette activité n'accepte pas de justificatif d'absence": "this activity does not accept absence justifications",
    "délai dépassé depuis le %(deadline)s": "deadline passed on %(deadline)s",
    "Absence déclarée avec certificat médical : %(child)s, du %(first)s au %(last)s, %(count)s jour(s)":
        "Absence declared with a medical certificate: %(child)s, from %(first)s to %(last)s, %(count)s day(s)",
    "Seul un agent de la commune peut statuer sur un justificatif.":
        "Only an agent of the commune may decide on a justification.",
    "Ce justificatif n'attend plus de décision.": "This justification is no longer awaiting a decision.",
    "Justificatif d'absence %(decision)s : %(child)s, du %(first)s au %(last)s":
        "Absence justification %(decision)s: %(child)s, from %(first)s to %(last)s",
    # Attendance (services.attendance)
    "Seul un agent de la commune peut pointer les présences.": "Only an agent of the commune may mark attendance.",
    "Pointage inconnu.": "Unknown attendance mark.",
    "On ne pointe pas un jour à venir.": "A day still to come cannot be marked.",
    "Motif d'absence inconnu.": "Unknown reason for absence.",
    "présent sans réservation": "present without booking",
    "Pointage : %(child)s, %(activity)s, %(day)s — %(label)s": "Attendance: %(child)s, %(activity)s, %(day)s — %(label)s",
    "Pointage effacé : %(child)s, %(activity)s, %(day)s": "Mark removed: %(child)s, %(activity)s, %(day)s",
    # Bookings (services.bookings)
    "place libérée par une annulation": "place freed by a cancellation",
    "Dérogation au délai par un agent": "Deadline override by an agent",
    "%(label)s : %(child)s, %(activities)s, %(count)s jour(s)": "%(label)s: %(child)s, %(activities)s, %(count)s day(s)",
    "aucune place ne s'est libérée avant la clôture des réservations": "no place was freed before bookings closed",
    "Liste d'attente close : %(booking)s": "Waiting list closed: %(booking)s",
    # Enrolments (services.enrolments)
    "pour un an": "for one year",
    "de %(min)s à %(max)s ans": "from %(min)s to %(max)s years old",
    "à partir de %(min)s ans": "from %(min)s years old",
    "jusqu'à %(max)s ans": "up to %(max)s years old",
    "Cette activité accueille les enfants %(bounds)s ; %(name)s aura %(age)s ans le %(day)s.":
        "This activity takes children %(bounds)s; %(name)s will be %(age)s on %(day)s.",
    "Indiquez la classe demandée.": "Give the requested class.",
    "Cette activité n'est pas ouverte à la classe de %(name)s.": "This activity is not open to %(name)s's class.",
    "Dérogation d'un agent : %(summary)s": "Override by an agent: %(summary)s",
    "Inscription sur liste d'attente : %(e)s": "Put on the waiting list: %(e)s",
    "Demande d'inscription : %(e)s": "Enrolment request: %(e)s",
    "Cette demande n'attend plus de décision.": "This request is no longer awaiting a decision.",
    "Indiquez l'école d'affectation.": "Give the assigned school.",
    "Décision sur l'inscription : %(e)s — %(status)s": "Decision on the enrolment: %(e)s — %(status)s",
    "Des jours sont encore réservés : annulez-les d'abord.": "Some days are still booked: cancel them first.",
    "Inscription annulée : %(e)s": "Enrolment cancelled: %(e)s",
    "Place libérée attribuée au premier de la liste d'attente : %(e)s":
        "Freed place given to the first on the waiting list: %(e)s",
    "Aucun paiement n'est attendu pour cette inscription.": "No payment is due for this enrolment.",
    "Séjour payé à la réservation : %(e)s": "Stay paid when booked: %(e)s",
    # Calendar feeds (services.feeds)
    "Révoquez d'abord une adresse : %(n)s au plus par enfant.": "Revoke an address first: %(n)s at most per child.",
    "Agenda iCalendar créé pour %(child)s": "iCalendar feed created for %(child)s",
    "Cet agenda ne vous appartient pas.": "This feed is not yours.",
    "Agenda iCalendar révoqué pour %(child)s": "iCalendar feed revoked for %(child)s",
    # E-mails to families (templates/emails/services_*)
    "Réservations de %(name)s modifiées": "%(name)s's bookings changed",
    "Un agent de la commune a modifié les réservations de %(child)s :":
        "An agent of the commune changed %(child)s's bookings:",
    "Les réservations de %(child)s ont été modifiées :": "%(child)s's bookings have been changed:",
    "retiré de la liste d'attente": "removed from the waiting list",
    "L'historique complet est dans votre espace famille.": "The full history is in your family space.",
    "Vous pouvez ne plus recevoir ces confirmations depuis vos préférences.":
        "You can stop receiving these confirmations in your preferences.",
    "Justificatif d'absence de %(name)s": "Absence justification for %(name)s",
    "Le justificatif d'absence de %(child)s du %(first)s au %(last)s :":
        "The absence justification for %(child)s from %(first)s to %(last)s:",
    "accepté ; les jours concernés ne seront pas facturés.": "accepted; the days concerned will not be charged.",
    "refusé.": "refused.",
    "Inscription de %(name)s : %(activity)s": "Enrolment of %(name)s: %(activity)s",
    "La demande d'inscription de %(child)s à « %(activity)s » est acceptée.":
        "The enrolment request for %(child)s in “%(activity)s” is accepted.",
    "La commune a inscrit %(child)s (%(activity)s) à l'école %(school)s ; l'école prononcera ensuite l'admission.":
        "The commune has registered %(child)s (%(activity)s) at the school %(school)s; the school will then "
        "confirm the admission.",
    "La demande d'inscription de %(child)s à « %(activity)s » n'a pas été acceptée.":
        "The enrolment request for %(child)s in “%(activity)s” has not been accepted.",
    "Ce séjour se paie à la réservation : la facture vous sera adressée.":
        "This stay is paid when booked: the invoice will be sent to you.",
    "Une place s'est libérée pour %(name)s : %(activity)s": "A place has become free for %(name)s: %(activity)s",
    "Une place s'est libérée : la demande d'inscription de %(child)s à « %(activity)s » quitte la liste "
    "d'attente.":
        "A place has become free: the enrolment request for %(child)s in “%(activity)s” leaves the waiting list.",
    "L'inscription est faite.": "The enrolment is done.",
    "Le service va maintenant examiner la demande ; vous serez prévenu de sa décision.":
        "The service will now review the request; you will be told of its decision.",
    "Une place s'est libérée : %(child)s quitte la liste d'attente et est inscrit(e) à « %(activity)s » le "
    "%(day)s.":
        "A place has become free: %(child)s leaves the waiting list and is booked for “%(activity)s” on %(day)s.",
    "Si vous ne souhaitez plus cette place, annulez-la depuis votre espace famille dans les délais de "
    "l'activité.":
        "If you no longer want this place, cancel it from your family space within the activity's deadlines.",
}
