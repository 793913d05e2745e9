"""English for the interface strings of the staff dashboards and statistics (merged by
tools/translations_en.py)."""

EN = {
    "Tableaux de bord et statistiques": "Dashboards and statistics",
    "Statistiques": "Statistics",
    "Total": "Total",
    "masqué": "hidden",
    "Aucune donnée": "No data",
    # Charts
    "Diagramme en barres horizontales, une barre par ligne du tableau (%(series)s) ; chaque barre porte sa "
    "valeur. %(description)s Les mêmes nombres sont dans le tableau qui suit.":
        "Horizontal bar chart, one bar per row of the table (%(series)s); each bar carries its value. "
        "%(description)s The same numbers are in the table that follows.",
    "« < %(n)s » : moins de %(n)s personnes ; « masqué » : caché pour qu'on ne puisse pas retrouver un petit "
    "groupe.": "“< %(n)s”: fewer than %(n)s people; “hidden”: hidden so that a small group cannot be worked out.",
    # Periods
    "année scolaire %(label)s": "school year %(label)s",
    "Années scolaires": "School years",
    "Mois": "Month",
    # Figures: services
    "Pointage du %(day)s par activité": "Attendance on %(day)s per activity",
    "Nombre d'enfants réservés, pointés présents (avec ou sans réservation) et pointés absents, par activité.":
        "Number of children booked, marked present (with or without a booking) and marked absent, per activity.",
    "Activité": "Activity",
    "Réservés": "Booked",
    "Présents": "Present",
    "Absents": "Absent",
    "%(activity)s, semaine du %(monday)s": "%(activity)s, week of %(monday)s",
    "Occupation par semaine et par activité": "Occupancy per week and activity",
    "Places offertes les jours où l'activité fonctionne, places réservées et taux d'occupation, par semaine et "
    "par activité réservée à la journée ou à la séance. Un groupe est compté en enfants distincts.":
        "Places offered on the days the activity runs, places booked and occupancy rate, per week and per "
        "activity booked by the day or session. A group is counted in distinct children.",
    "Activité et semaine": "Activity and week",
    "Places offertes": "Places offered",
    "Places réservées": "Places booked",
    "Taux d'occupation": "Occupancy rate",
    "« — » : activité sans limite de places.": "“—”: activity without a limit of places.",
    "Listes d'attente par activité": "Waiting lists per activity",
    "Demandes d'inscription en liste d'attente sur la période, et jours réservés en liste d'attente sur la "
    "période, par activité.": "Enrolment requests on a waiting list in the period, and days booked on a "
                              "waiting list in the period, per activity.",
    "Inscriptions en attente d'une place": "Enrolments waiting for a place",
    "Jours en liste d'attente": "Days on a waiting list",
    "Inscriptions à valider": "Enrolments to approve",
    "Pièces justificatives à vérifier": "Supporting documents to check",
    "Justificatifs d'absence à décider": "Absence justifications to decide",
    "Demandes de modification de la fiche famille": "Family file change requests",
    "Demandes RGPD ouvertes": "Open GDPR requests",
    "Demandes de location de salle à décider": "Hall hire requests to decide",
    "Demandes d'assistance à traiter": "Assistance requests to handle",
    "Demandes en attente": "Pending requests",
    "Nombre de demandes qui attendent une décision ou une réponse des agents, à ce jour.":
        "Number of requests waiting for a decision or an answer from the agents, as of today.",
    "Demande": "Request",
    "En attente": "Pending",
    # Figures: billing
    "Pas encore échues": "Not yet due",
    "Échues, sans relance": "Overdue, no reminder yet",
    "Après la première relance": "After the first reminder",
    "Après la seconde relance (CCAS)": "After the second reminder (social services)",
    "Reste à payer au %(day)s": "Left to pay on %(day)s",
    "Montant restant dû et nombre de factures à payer ou partiellement payées, par étape de relance. Un groupe "
    "est compté en foyers distincts.": "Amount still owed and number of invoices to pay or partly paid, per "
                                      "reminder stage. A group is counted in distinct households.",
    "Étape": "Stage",
    "Reste à payer": "Left to pay",
    "Factures": "Invoices",
    "Montants facturés par mois et par service": "Invoiced amounts per month and service",
    "Montants des factures émises, moins les avoirs qui les corrigent, par mois facturé et par service "
    "municipal. Un groupe est compté en foyers distincts.":
        "Amounts of the issued invoices, less the credit notes correcting them, per invoiced month and "
        "municipal service. A group is counted in distinct households.",
    "Mois facturé": "Invoiced month",
    "Les avoirs qui ne portent sur aucune ligne de facture ne sont pas répartis par service.":
        "Credit notes that point at no invoice line are not split by service.",
    "Paiements en ligne et au guichet": "Payments online and at the desk",
    "Montants et nombre de paiements reçus en ligne (PayFiP, carte ou prélèvement) et au guichet (espèces, "
    "chèque, CESU, chèques-vacances), par mois de réception. Un groupe est compté en foyers distincts.":
        "Amounts and number of payments received online (PayFiP, card or direct debit) and at the desk (cash, "
        "cheque, CESU, holiday cheques), per month received. A group is counted in distinct households.",
    "En ligne": "Online",
    "Au guichet": "At the desk",
    "Part payée en ligne": "Share paid online",
    "Paiements en ligne": "Online payments",
    "Paiements au guichet": "Desk payments",
    # Figures: the portal's use
    "Un responsable s'est connecté ou a réservé en ligne": "A guardian logged in or booked online",
    "Un compte en ligne, pas utilisé sur la période": "A login, not used in the period",
    "Aucun compte en ligne": "No login",
    "Démarches papier (opposition, article 5.4)": "Paper only (objection, article 5.4)",
    "Usage du portail par les foyers (%(period)s)": "Use of the portal by households (%(period)s)",
    "Foyers selon qu'un de leurs responsables s'est connecté au portail ou a réservé en ligne sur la période, a "
    "un compte sans l'avoir utilisé, n'a pas de compte, ou que le foyer a choisi les démarches papier ; part de "
    "chaque groupe dans l'ensemble des foyers.":
        "Households by whether one of their guardians logged into the portal or booked online in the period, "
        "has a login without using it, has no login, or the household chose paper; share of each group among "
        "all households.",
    "Foyers": "Households",
    "Part des foyers": "Share of households",
    # Themes and panels
    "Services : fréquentation et demandes": "Services: attendance and requests",
    "Pointage du jour, occupation des activités, listes d'attente et demandes en attente.":
        "Today's attendance, occupancy of the activities, waiting lists and pending requests.",
    "Facturation : impayés, montants facturés, paiements": "Billing: unpaid, invoiced amounts, payments",
    "Reste à payer, montants facturés par mois et par service, paiements en ligne et au guichet.":
        "Left to pay, invoiced amounts per month and service, payments online and at the desk.",
    "Usage du portail par les foyers": "Use of the portal by households",
    "Part des foyers qui utilisent le portail, ont un compte sans l'utiliser, n'en ont pas, ou ont choisi les "
    "démarches papier.": "Share of households that use the portal, have a login without using it, have none, "
                         "or chose paper.",
    "Enfants réservés aujourd'hui": "Children booked today",
    "Pointés présents aujourd'hui": "Marked present today",
    "Pointés absents aujourd'hui": "Marked absent today",
    "Factures à payer": "Invoices to pay",
    "Payé en ligne ce mois-ci": "Paid online this month",
    "Payé au guichet ce mois-ci": "Paid at the desk this month",
    "Part payée en ligne ce mois-ci": "Share paid online this month",
    # Templates
    "Des chiffres agrégés seulement : aucun nom, et tout groupe de moins de %(threshold)s personnes est masqué.":
        "Aggregated figures only: no name, and any group of fewer than %(threshold)s people is hidden.",
    "Statistiques — %(title)s": "Statistics — %(title)s",
    "Chiffres clés : %(title)s": "Key figures: %(title)s",
    "Toutes les statistiques : %(title)s": "All statistics: %(title)s",
    "Période": "Period",
    "Jour du pointage": "Attendance day",
    "Afficher": "Show",
    "Aucune donnée sur cette période.": "No data for this period.",
    "Télécharger ces chiffres :": "Download these figures:",
    "Autres statistiques": "Other statistics",
    "Période affichée : %(period)s.": "Period shown: %(period)s.",
    "Des chiffres agrégés seulement, sans aucun nom. « &lt; %(threshold)s » : moins de %(threshold)s personnes "
    "(ou foyers) ; « masqué » : caché pour qu'un total ou une autre case ne permette pas de retrouver un si "
    "petit groupe.": "Aggregated figures only, without any name. “&lt; %(threshold)s”: fewer than "
                     "%(threshold)s people (or households); “hidden”: hidden so that a total or another cell "
                     "cannot give such a small group away.",
    "Diagramme : %(title)s (les valeurs sont dans le tableau ci-dessous).":
        "Chart: %(title)s (the values are in the table below).",
    'CSV<span class="w-sr-only"> — %(title)s</span>': 'CSV<span class="w-sr-only"> — %(title)s</span>',
    'XLSX<span class="w-sr-only"> — %(title)s</span>': 'XLSX<span class="w-sr-only"> — %(title)s</span>',
}
