"""The transfer pages, under /dang-vien/ as before they had their own app."""

from django.urls import path

from tochuc.accounts.bookmarks import moved_to_path
from tochuc.accounts.permissions import VIEW

from . import away_views, outside_views, views

app_name = "transfers"

urlpatterns = [
    # A member's letters and working away.
    path("<int:pk>/chuyen-sinh-hoat/", views.issue, name="transfer"),
    path("<int:pk>/sinh-hoat-tam-thoi/", views.temporary, name="temporary"),
    path("<int:pk>/lam-an-xa/", away_views.working_away, name="working_away"),
    # An organization's transfers (the tenant in the path), one transfer, its letters.
    path("chuyen-sinh-hoat/to-chuc/<str:code>/", views.transfer_list, name="transfers"),
    path(
        "chuyen-sinh-hoat/to-chuc/<str:code>/xuat.xlsx",
        views.transfer_export,
        name="transfers_export",
    ),
    path(
        "chuyen-sinh-hoat/to-chuc/<str:code>/tiep-nhan-ngoai-he-thong/",
        outside_views.receive_from_outside,
        name="receive_from_outside",
    ),
    # Requests to receive from outside a member whose record is kept elsewhere.
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/",
        outside_views.receive_requests,
        name="receive_requests",
    ),
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/<int:pk>/",
        outside_views.receive_request,
        name="receive_request",
    ),  # fmt: skip
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/<int:pk>/quyet-dinh/",
        outside_views.receive_request_decide,
        name="receive_request_decide",
    ),  # fmt: skip
    path(
        "chuyen-sinh-hoat/yeu-cau-tiep-nhan/<int:pk>/rut/",
        outside_views.receive_request_withdraw,
        name="receive_request_withdraw",
    ),  # fmt: skip
    path("chuyen-sinh-hoat/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("chuyen-sinh-hoat/<int:pk>/tiep-nhan/", views.receive, name="transfer_receive"),
    path("chuyen-sinh-hoat/<int:pk>/tro-ve/", views.temporary_return, name="transfer_return"),
    path("chuyen-sinh-hoat/<int:pk>/giay-gioi-thieu.docx", views.letter_docx, name="letter_docx"),
    path("chuyen-sinh-hoat/<int:pk>/giay-gioi-thieu.pdf", views.letter_pdf, name="letter_pdf"),
    path("lam-an-xa/to-chuc/<str:code>/", away_views.working_away_list, name="working_away_list"),
    # Old bookmarks that named the organization in the query: to the pages above.
    path(
        "chuyen-sinh-hoat/",
        moved_to_path("transfers:transfers", VIEW),
        name="transfers_by_query",
    ),
    path(
        "lam-an-xa/",
        moved_to_path("transfers:working_away_list", VIEW),
        name="working_away_by_query",
    ),
]
