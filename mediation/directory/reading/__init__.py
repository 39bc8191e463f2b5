"""Reading the directory: the citizens' search (`search`), coverage per commune and kind
(`coverage`), the states of services (`states`), the staff's lists (`staff_lists`) and likely
duplicates (`duplicates`)."""
