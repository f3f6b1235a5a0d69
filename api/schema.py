from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token created on the user's page /account/tokens/ (tj_…).",
        }


ERROR_STATUSES = {
    "400": "The request was wrong; `errors` names each field and what was wrong with it.",
    "401": "No credentials, or a token that is unknown or revoked.",
    "403": "Seen but not allowed (the web page would answer 403 too), or a session write without its CSRF token.",
    "404": "No such object, or one the caller may not see.",
    "429": "Too many requests; retry after the seconds the Retry-After header gives.",
}


def add_error_responses(result, generator, request, public):
    """Every operation may answer the JSON errors of api/errors.py; say so once here, not on each view."""
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in result["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                if code == "401" and path.startswith("/api/schema"):
                    continue
                responses.setdefault(
                    code, {"content": {"application/json": {"schema": error}}, "description": description}
                )
    return result
