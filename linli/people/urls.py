from django.urls import path

from linli.people import views

app_name = "people"
urlpatterns = [
    path("me/", views.my_household, name="my_household"),
    path("c/<slug:code>/", views.community, name="community"),
    path("c/<slug:code>/residents/", views.resident_list, name="residents"),
    path("c/<slug:code>/residents/new/", views.resident_create, name="resident_create"),
    path("c/<slug:code>/residents/<int:pk>/", views.resident_detail, name="resident"),
    path("c/<slug:code>/residents/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path(
        "c/<slug:code>/residents/<int:pk>/move-out/",
        views.resident_move_out,
        name="resident_move_out",
    ),
    path("c/<slug:code>/residents/<int:pk>/reveal/<slug:field>/", views.reveal, name="reveal"),
    path("c/<slug:code>/households/<int:pk>/", views.household_detail, name="household"),
    path("c/<slug:code>/import/", views.import_upload, name="import"),
    path("c/<slug:code>/import/template.xlsx", views.import_template, name="import_template"),
    path("c/<slug:code>/import/<int:pk>/", views.import_job, name="import_job"),
    path("c/<slug:code>/export.xlsx", views.export, name="export"),
]
