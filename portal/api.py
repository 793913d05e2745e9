"""The public, read-only Wagtail content API (v2) at /api/v2/.

Only live, public pages (never a draft, a private page or an unpublished revision):
service pages (practical information, the service's code), news (with their
publication date), the regulation in force with its version number, and the other
public pages; images and editorial documents. Read-only: the endpoints answer GET
(and HEAD, OPTIONS) only; POST, PUT, PATCH and DELETE get 405."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class ReadOnly:
    http_method_names = ["get", "head", "options"]


class PublicPagesAPIViewSet(ReadOnly, PagesAPIViewSet):
    pass


class PublicImagesAPIViewSet(ReadOnly, ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(ReadOnly, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
