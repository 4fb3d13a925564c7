package verify

// otherPresets are the rows with a check of their own: URL-bound and in-body
// signatures, public keys, static tokens and Basic auth (providers.md §8-9).
var otherPresets = []preset{
	// F5: URL-bound.
	{key: "twilio", name: "Twilio", family: "F5", label: "Auth Token",
		docs: "https://www.twilio.com/docs/usage/webhooks/webhooks-security", auth: twilioAuth{}},
	{key: "hubspot", name: "HubSpot", family: "F5", label: "Client secret", tolerance: fiveMinutes,
		docs: "https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation",
		auth: hubspotAuth{}},

	// F6: the signature inside the body.
	{key: "mailgun", name: "Mailgun", family: "F6", label: "HTTP webhook signing key",
		docs: "https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks",
		auth: mailgunAuth{}, id: idSource{json: "signature.token", form: "token"}},

	// F7: public keys; the "secret" is the provider's public key.
	{key: "discord", name: "Discord (interactions)", family: "F7", label: "Public Key",
		docs: "https://discord.com/developers/docs/interactions/overview", auth: discordAuth, handshake: discordHandshake},
	{key: "sendgrid", name: "SendGrid Event Webhook", family: "F7", label: "Verification key",
		docs: "https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features",
		auth: sendgridAuth},

	// F8: a static token in a header.
	{key: "gitlab", name: "GitLab (secret token)", family: "F8", label: "Secret token",
		docs: "https://docs.gitlab.com/user/project/integrations/webhooks/",
		auth: tokenAuth{headers: []string{"X-Gitlab-Token"}}, id: idSource{headers: []string{"Idempotency-Key"}}},
	{key: "telegram", name: "Telegram Bot API", family: "F8", label: "secret_token (as given to setWebhook)",
		docs: "https://core.telegram.org/bots/api#setwebhook",
		auth: tokenAuth{headers: []string{"X-Telegram-Bot-Api-Secret-Token"}}},
	{key: "xendit", name: "Xendit", family: "F8", label: "Callback Verification Token",
		docs: "https://docs.xendit.co/webhook/", auth: tokenAuth{headers: []string{"x-callback-token"}}},

	// F9: HTTP Basic auth; the secret is "username:password".
	{key: "basic-auth", name: "HTTP Basic auth (n8n, Make, Zapier relays)", family: "F9", label: "username:password",
		auth: basicAuth{}},
	{key: "chargebee", name: "Chargebee", family: "F9", label: "username:password",
		docs: "https://www.chargebee.com/docs/webhook_settings.html", auth: basicAuth{}},
	{key: "pipedrive", name: "Pipedrive", family: "F9", label: "username:password (http_auth_user, http_auth_password)",
		docs: "https://pipedrive.readme.io/docs/guide-for-webhooks-v2", auth: basicAuth{}},
	{key: "postmark", name: "Postmark", family: "F9", label: "username:password (from the webhook URL)",
		docs: "https://postmarkapp.com/developer/webhooks/webhooks-overview", auth: basicAuth{}},
}
