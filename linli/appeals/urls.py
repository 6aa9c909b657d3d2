from django.urls import path

from linli.appeals import views

app_name = "appeals"
urlpatterns = [
    path("me/appeals/", views.my_appeals, name="mine"),
    path("org/appeals/", views.organisation_appeals, name="organisation"),
    path("s/<int:pk>/appeals/rates/", views.subdistrict_rates, name="subdistrict_rates"),
    path("c/<slug:code>/appeals/", views.todo, name="todo"),
    path("c/<slug:code>/appeals/new/", views.staff_new, name="staff_new"),
    path("c/<slug:code>/appeals/similar/", views.similar, name="similar"),
    path("c/<slug:code>/appeals/submit/", views.resident_new, name="submit"),
    path("c/<slug:code>/appeals/board/", views.board, name="board"),
    path("c/<slug:code>/appeals/hotline/", views.hotline, name="hotline"),
    path("c/<slug:code>/appeals/ledger.xlsx", views.ledger, name="ledger"),
    path("c/<slug:code>/appeals/rates/", views.rates, name="rates"),
    path("c/<slug:code>/appeals/rates/publish/", views.publish_results, name="publish_results"),
    path("c/<slug:code>/appeals/<int:pk>/", views.detail, name="detail"),
    # One view per step of the handling page.
    path("c/<slug:code>/appeals/<int:pk>/accept/", views.accept, name="accept"),
    path("c/<slug:code>/appeals/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("c/<slug:code>/appeals/<int:pk>/start/", views.start, name="start"),
    path("c/<slug:code>/appeals/<int:pk>/resolve/", views.resolve, name="resolve"),
    path(
        "c/<slug:code>/appeals/<int:pk>/resolve-on-the-spot/",
        views.resolve_on_the_spot,
        name="resolve_on_the_spot",
    ),
    path(
        "c/<slug:code>/appeals/<int:pk>/cannot-resolve/",
        views.cannot_resolve,
        name="cannot_resolve",
    ),
    path("c/<slug:code>/appeals/<int:pk>/defer/", views.defer, name="defer"),
    path("c/<slug:code>/appeals/<int:pk>/report-back/", views.report_back, name="report_back"),
    path("c/<slug:code>/appeals/<int:pk>/note/", views.note, name="note"),
    path("c/<slug:code>/appeals/<int:pk>/invalid/", views.invalid, name="invalid"),
    path("c/<slug:code>/appeals/<int:pk>/answer/", views.answer, name="answer"),
    path(
        "c/<slug:code>/appeals/<int:pk>/answer-unresolved/",
        views.answer_unresolved,
        name="answer_unresolved",
    ),
    path("c/<slug:code>/appeals/<int:pk>/refer/", views.refer, name="refer"),
    path("c/<slug:code>/appeals/<int:pk>/extend/", views.extend, name="extend"),
    path("c/<slug:code>/appeals/<int:pk>/supervise/", views.supervise, name="supervise"),
    path("c/<slug:code>/appeals/<int:pk>/verdict/", views.verdict, name="verdict"),
    path("c/<slug:code>/appeals/<int:pk>/add/", views.add_information, name="add"),
    path("c/<slug:code>/appeals/<int:pk>/merge/", views.merge, name="merge"),
    path("c/<slug:code>/appeals/<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path(
        "c/<slug:code>/appeals/extensions/<int:pk>/decide/",
        views.decide_extension,
        name="decide_extension",
    ),
]
