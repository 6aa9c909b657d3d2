from django.urls import path

from linli.care import views

app_name = "care"
urlpatterns = [
    path("c/<slug:code>/care/", views.register_view, name="register"),
    path("c/<slug:code>/care/due/", views.due, name="due"),
    path("c/<slug:code>/care/policies/", views.policies, name="policies"),
    path("c/<slug:code>/care/residents/<int:pk>/", views.resident, name="resident"),
    path("c/<slug:code>/care/residents/<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("c/<slug:code>/care/residents/<int:pk>/event/", views.event, name="event"),
    path("c/<slug:code>/care/residents/<int:pk>/entry/", views.entry, name="entry"),
    path("c/<slug:code>/care/residents/<int:pk>/settings/", views.care_settings, name="settings"),
    path("c/<slug:code>/care/visits/<int:pk>/need/", views.need, name="need"),
    path("c/<slug:code>/care/visits/<int:pk>/health/", views.health, name="health"),
    path(
        "c/<slug:code>/care/visits/<int:pk>/relief/",
        views.relief_application,
        name="relief_application",
    ),
    path("c/<slug:code>/care/relief/", views.relief_list, name="relief_list"),
    path("c/<slug:code>/care/relief/<int:pk>/", views.relief, name="relief"),
    path("c/<slug:code>/care/relief/<int:pk>/open/", views.relief_open, name="relief_open"),
    path("c/<slug:code>/care/relief/<int:pk>/close/", views.relief_close, name="relief_close"),
    path("c/<slug:code>/care/recipients/<int:pk>/give/", views.give, name="give"),
]
