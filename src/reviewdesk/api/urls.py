from ninja import NinjaAPI

api = NinjaAPI(title="reviewdesk API", version="1", docs_url="/docs")
