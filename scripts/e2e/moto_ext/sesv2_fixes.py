"""SES v2 configuration sets.

GetConfigurationSet: moto stores the request's SendingOptions ({"SendingEnabled": true}) and wraps
it once more on the way out, {"SendingOptions": {"SendingEnabled": {"SendingEnabled": true}}}; the
Go SDK refuses that body ("expected Enabled to be of type *bool"), so aws_sesv2_configuration_set
could not be read after its creation. SendingOptions is returned as stored now (AWS's default,
sending enabled, when none was given).

GetConfigurationSet also returned TrackingOptions, DeliveryOptions and VdmOptions as empty objects
where none were set; the provider reads an object that is there as a block that is set
(delivery_options with max_delivery_seconds 0, an empty tracking_options and vdm_options), so
every plan wanted to remove the three blocks. AWS leaves out what was never set; so does the
emulator now (only empty ones are left out).

CreateEmailIdentity with Tags: moto tagged arn:...:email-identity/<name>, while the identity's ARN
(the one the provider asks ListTagsForResource about) is arn:...:identity/<name>; the provider
read no tags, so every plan wanted to add the default tags (tags_all) again. Tagged under the
identity's ARN now, and the tags go with the identity on DeleteEmailIdentity.
"""

from __future__ import annotations

from typing import Any


def apply() -> None:
    from moto.ses.models import ConfigurationSet

    original = ConfigurationSet.to_dict_v2

    def to_dict_v2(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = original(self)
        enabled = self.enabled
        if isinstance(enabled, dict):
            out["SendingOptions"] = {"SendingEnabled": bool(enabled.get("SendingEnabled", True))}
        elif isinstance(enabled, bool):
            out["SendingOptions"] = {"SendingEnabled": enabled}
        else:
            out["SendingOptions"] = {"SendingEnabled": True}
        return out

    ConfigurationSet.to_dict_v2 = to_dict_v2

    original_v2 = ConfigurationSet.to_dict_v2

    def without_unset_options(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = original_v2(self)
        for key in ("TrackingOptions", "DeliveryOptions", "VdmOptions"):
            if not out.get(key):
                out.pop(key, None)
        return out

    ConfigurationSet.to_dict_v2 = without_unset_options
    apply_identities_and_destinations()
    apply_identity_tags()


def apply_identity_tags() -> None:
    from moto.ses.utils import get_arn
    from moto.sesv2.models import SESV2Backend

    original_create = SESV2Backend.create_email_identity
    original_delete = SESV2Backend.delete_email_identity

    def create_email_identity(self, email_identity: str, tags: Any, *args: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
        out = original_create(self, email_identity, tags, *args, **kwargs)
        tagger = self.core_backend.tagger
        tagger.delete_all_tags_for_resource(get_arn(self, "ses", f"email-identity/{email_identity}"))
        if tags:
            tagger.tag_resource(get_arn(self, "ses", f"identity/{email_identity}"), tags)
        return out

    def delete_email_identity(self, email_identity: str) -> None:  # type: ignore[no-untyped-def]
        original_delete(self, email_identity)
        self.core_backend.tagger.delete_all_tags_for_resource(get_arn(self, "ses", f"identity/{email_identity}"))

    SESV2Backend.create_email_identity = create_email_identity
    SESV2Backend.delete_email_identity = delete_email_identity


# --- email identities and event destinations ------------------------------------------------------
# - CreateEmailIdentity / GetEmailIdentity: DkimAttributes.LastKeyGenerationTimestamp was an ISO
#   string where the REST-JSON protocol has epoch seconds (the Go SDK refuses it), and a domain
#   with Easy DKIM got no Tokens, which aws_route53_record.mail_dkim_0..2 are made from. Epoch
#   seconds now, and three tokens (status PENDING) as AWS generates them.
# - Create/Get/Update/DeleteConfigurationSetEventDestination(s): not implemented (404). Kept per
#   configuration set and returned as given.
# - PutEmailIdentityMailFromAttributes (the custom MAIL FROM domain, aws_sesv2_email_identity_mail_
#   from_attributes): not implemented (404). Kept on the identity; GetEmailIdentity returns it as
#   MailFromAttributes (status PENDING until the MX record is seen, as AWS says at first).
def apply_identities_and_destinations() -> None:
    import json
    import secrets

    import moto.sesv2.urls as urls
    from moto.core.exceptions import JsonRESTError
    from moto.ses.models import EmailIdentity
    from moto.sesv2.responses import SESV2Response

    # Routes for the event destinations (moto's catch-all "/v2/.*" does not match past a slash).
    base = "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations"
    urls.url_paths[base + "$"] = SESV2Response.dispatch
    urls.url_paths[base + "/(?P<EventDestinationName>[^/]+)$"] = SESV2Response.dispatch
    urls.url_paths["{0}/v2/email/identities/(?P<EmailIdentity>[^/]+)/mail-from$"] = SESV2Response.dispatch

    original_response = EmailIdentity.get_response_object

    def response_object(self) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        out = dict(original_response.fget(self))
        mail_from = self.__dict__.get("_moto_ext_mail_from")
        if mail_from:
            out["MailFromAttributes"] = mail_from
        return out

    EmailIdentity.get_response_object = property(response_object)

    def put_mail_from(self) -> str:  # type: ignore[no-untyped-def]
        identity = self.sesv2_backend.get_email_identity(email_identity=self._get_param("EmailIdentity"))
        domain = self._get_param("MailFromDomain")
        if domain:
            identity.__dict__["_moto_ext_mail_from"] = {
                "MailFromDomain": domain,
                "MailFromDomainStatus": "PENDING",
                "BehaviorOnMxFailure": self._get_param("BehaviorOnMxFailure") or "USE_DEFAULT_VALUE",
            }
        else:
            identity.__dict__.pop("_moto_ext_mail_from", None)
        return "{}"

    SESV2Response.put_email_identity_mail_from_attributes = put_mail_from

    original_init = EmailIdentity.__init__

    def init(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[no-untyped-def]
        import time

        original_init(self, *args, **kwargs)
        dkim = self.dkim_attributes
        if self.identity_type == "DOMAIN" and dkim.get("SigningAttributesOrigin", "AWS_SES") == "AWS_SES":
            dkim["SigningEnabled"] = True
            dkim["Status"] = "PENDING"
            dkim["Tokens"] = [secrets.token_hex(16) for _ in range(3)]
            dkim.setdefault("CurrentSigningKeyLength", dkim.get("NextSigningKeyLength", "RSA_2048_BIT"))
        if "LastKeyGenerationTimestamp" in dkim or dkim.get("Tokens"):
            dkim["LastKeyGenerationTimestamp"] = time.time()

    EmailIdentity.__init__ = init

    def destinations(self) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
        backend = self.sesv2_backend
        if "_moto_ext_event_destinations" not in backend.__dict__:
            backend.__dict__["_moto_ext_event_destinations"] = {}
        name = self._get_param("ConfigurationSetName")
        backend.get_configuration_set(configuration_set_name=name)  # raises NotFoundException
        return backend.__dict__["_moto_ext_event_destinations"].setdefault(name, {})

    def create(self) -> str:  # type: ignore[no-untyped-def]
        dests = destinations(self)
        name = self._get_param("EventDestinationName")
        if name in dests:
            raise JsonRESTError("AlreadyExistsException", f"Event destination {name} already exists")
        dests[name] = {"Name": name, **(self._get_param("EventDestination") or {})}
        return "{}"

    def get(self) -> str:  # type: ignore[no-untyped-def]
        return json.dumps({"EventDestinations": list(destinations(self).values())})

    def update(self) -> str:  # type: ignore[no-untyped-def]
        dests = destinations(self)
        name = self._get_param("EventDestinationName")
        if name not in dests:
            raise JsonRESTError("NotFoundException", f"Event destination {name} does not exist")
        dests[name] = {"Name": name, **(self._get_param("EventDestination") or {})}
        return "{}"

    def delete(self) -> str:  # type: ignore[no-untyped-def]
        dests = destinations(self)
        name = self._get_param("EventDestinationName")
        if dests.pop(name, None) is None:
            raise JsonRESTError("NotFoundException", f"Event destination {name} does not exist")
        return "{}"

    SESV2Response.create_configuration_set_event_destination = create
    SESV2Response.get_configuration_set_event_destinations = get
    SESV2Response.update_configuration_set_event_destination = update
    SESV2Response.delete_configuration_set_event_destination = delete
