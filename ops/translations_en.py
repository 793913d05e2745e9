"""English for the ops area's strings (the admin's task queue, the e-mail layout)."""

EN = {
    # ops app and models
    "Exploitation": "Operations",
    "réussi": "succeeded",
    "échec": "failed",
    "en cours": "running",
    "dernier créneau pris": "last slot taken",
    "verrou jusqu'à": "locked until",
    "pris par": "taken by",
    "dernier démarrage": "last start",
    "dernière fin": "last end",
    "dernier résultat": "last outcome",
    "dernière erreur": "last error",
    "durée (ms)": "duration (ms)",
    "exécutions": "runs",
    "échecs": "failures",
    "tâche périodique": "periodic job",
    "tâches périodiques": "periodic jobs",
    # The task queue screen
    "File des tâches": "Task queue",
    "Les tâches ne passent pas par la file en base de données (%(backend)s) : elles s'exécutent aussitôt, "
    "rien n'attend ici. En production, TASKS_BACKEND vaut django_tasks_db.DatabaseBackend et « manage.py "
    "db_worker » les exécute.":
        "Tasks do not go through the database queue (%(backend)s): they run at once, nothing waits here. In "
        "production, TASKS_BACKEND is django_tasks_db.DatabaseBackend and “manage.py db_worker” runs them.",
    "État de la file": "Queue state",
    "Nombre de tâches par état": "Number of tasks per status",
    "État": "Status",
    "Nombre": "Number",
    "Prêtes à exécuter maintenant": "Ready to run now",
    "Nouvelles tentatives programmées": "Retries scheduled",
    "Tentatives échouées puis relancées automatiquement": "Failed attempts retried automatically",
    "Échecs définitifs": "Definitive failures",
    "Plus ancienne tâche en attente": "Oldest waiting task",
    "%(task)s, en attente depuis le %(since)s.": "%(task)s, waiting since %(since)s.",
    "Attention : aucun worker ne semble traiter la file (manage.py db_worker).":
        "Warning: no worker seems to be processing the queue (manage.py db_worker).",
    "Aucune tâche en attente.": "No task waiting.",
    "Tâches en échec après toutes leurs tentatives, les plus récentes d'abord":
        "Tasks that failed after all their attempts, most recent first",
    "Tâche": "Task",
    "Tentative": "Attempt",
    "Mise en file": "Enqueued",
    "Échec": "Failed",
    "Erreur": "Error",
    "Action": "Action",
    "Relancer": "Run again",
    "Aucun échec définitif.": "No definitive failure.",
    "Tâches qui seront réessayées, la prochaine d'abord": "Tasks that will be tried again, next first",
    "Pas avant": "Not before",
    "Tâches en cours depuis plus d'une heure": "Tasks running for more than an hour",
    "Leur worker a probablement été arrêté pendant l'exécution : vérifiez le journal du service portal-worker.":
        "Their worker was probably stopped while running them: check the log of the portal-worker service.",
    "Tâches en cours depuis longtemps": "Tasks running for a long time",
    "Démarrée": "Started",
    "Tâches périodiques": "Periodic jobs",
    "Tâches périodiques lancées par le planificateur (manage.py run_periodic)":
        "Periodic jobs run by the scheduler (manage.py run_periodic)",
    "Intervalle": "Interval",
    "Dernier démarrage": "Last start",
    "Résultat": "Outcome",
    "Exécutions / échecs": "Runs / failures",
    "Prochaine": "Next",
    "jamais": "never",
    "verrou expiré : le planificateur s'est arrêté pendant l'exécution":
        "lease expired: the scheduler stopped while running it",
    "Tâches qui ne sont plus déclarées :": "Jobs no longer registered:",
    "Cette tâche ne peut pas être relancée : déjà relancée, pas en échec, ou la file n’est pas celle de la "
    "base de données.":
        "This task cannot be run again: already put back, not failed, or the queue is not the database one.",
    "Tâche remise dans la file (%(id)s).": "Task put back in the queue (%(id)s).",
    # The e-mail layout (templates/emails/base.html, base.txt)
    "Bonjour,": "Hello,",
    "Bonjour %(name)s,": "Hello %(name)s,",
    "Ouvrir le portail": "Open the portal",
    "Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :":
        "If the button does not work, copy this address into your browser:",
    "Le service Famille de %(commune)s": "The Family service of %(commune)s",
    "Message envoyé automatiquement par le %(site)s : merci de ne pas y répondre.":
        "Automatic message from the %(site)s: please do not reply.",
    "Votre espace famille": "Your family space",
    "Votre espace famille : %(url)s": "Your family space: %(url)s",
    "Vous pouvez y choisir les rappels que vous recevez par e-mail.":
        "You can choose there which reminders you receive by e-mail.",
}
