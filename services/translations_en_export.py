"""English for the services' sections of the GDPR data export (services.household_export;
merged by tools/translations_en.py)."""

EN = {
    "Inscriptions aux services": "Enrolments in the services",
    "Réservations": "Bookings",
    "Pointages": "Attendance",
    "Agendas iCalendar": "iCalendar feeds",
}
