from django.urls import path

from . import correction_views, exporting, transfer_views, views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("xuat.xlsx", exporting.export_list, name="export"),
    path("dem/", views.member_count, name="count"),
    path("them/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sua/", views.edit, name="edit"),
    path("<int:pk>/cong-nhan-chinh-thuc/", views.confirm, name="confirm"),
    path("<int:pk>/mien-sinh-hoat/", views.exempt, name="exempt"),
    path("<int:pk>/chuyen-sinh-hoat/", transfer_views.issue, name="transfer"),
    path("<int:pk>/sinh-hoat-tam-thoi/", transfer_views.temporary, name="temporary"),
    path("<int:pk>/lam-an-xa/", transfer_views.working_away, name="working_away"),
    path("<int:pk>/ra-khoi-dang/", views.exit_party, name="exit"),
    path("<int:pk>/ket-nap-lai/", transfer_views.readmit, name="readmit"),
    # Correct or cancel a timeline act (?su_kien=ID; without it, the list of acts).
    path("<int:pk>/sua-huy/", correction_views.timeline_correct, name="timeline_correct"),
    # An organization's transfers (?to_chuc=CODE), one transfer, its letters.
    path("chuyen-sinh-hoat/", transfer_views.transfer_list, name="transfers"),
    path("chuyen-sinh-hoat/xuat.xlsx", transfer_views.transfer_export, name="transfers_export"),
    path(
        "chuyen-sinh-hoat/tiep-nhan-ngoai-he-thong/",
        transfer_views.receive_from_outside,
        name="receive_from_outside",
    ),
    # Requests to receive from outside a member whose record is kept elsewhere.
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/",
        transfer_views.receive_requests,
        name="receive_requests",
    ),
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/<int:pk>/",
        transfer_views.receive_request,
        name="receive_request",
    ),
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/<int:pk>/quyet-dinh/",
        transfer_views.receive_request_decide,
        name="receive_request_decide",
    ),
    path("chuyen-sinh-hoat/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("chuyen-sinh-hoat/<int:pk>/tiep-nhan/", transfer_views.receive, name="transfer_receive"),
    path(
        "chuyen-sinh-hoat/<int:pk>/tro-ve/", transfer_views.temporary_return, name="transfer_return"
    ),
    path(
        "chuyen-sinh-hoat/<int:pk>/giay-gioi-thieu.docx",
        transfer_views.letter_docx,
        name="letter_docx",
    ),
    path(
        "chuyen-sinh-hoat/<int:pk>/giay-gioi-thieu.pdf",
        transfer_views.letter_pdf,
        name="letter_pdf",
    ),
    path("lam-an-xa/", transfer_views.working_away_list, name="working_away_list"),
]
