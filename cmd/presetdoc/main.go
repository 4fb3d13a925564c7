package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/wexio/webhooks/internal/verify"
)

// The markers around the generated part of the README.
const (
	beginMarker = "<!-- presets:begin -->"
	endMarker   = "<!-- presets:end -->"
)

// families describes each providers.md family in a few words.
var families = map[string]string{
	"F1":  "HMAC-SHA256 of the raw body, hex",
	"F1s": "HMAC-SHA1 of the raw body, hex",
	"F2":  "HMAC-SHA256 of the raw body, base64",
	"F3":  "HMAC with a timestamp in the signed content",
	"F4":  "Standard Webhooks / Svix: HMAC-SHA256 of id.timestamp.body, base64, whsec_ key",
	"F5":  "URL-bound: the public URL (WEXIO_PUBLIC_URL + path + query) is signed",
	"F6":  "signature inside the body",
	"F7":  "public-key signature; the \"secret\" is the provider's public key",
	"F8":  "static token in a header",
	"F9":  "HTTP Basic auth",
}

// headers names, in Markdown, what the provider sends, for the presets whose
// registry row has no HMAC parameters to read it from.
var headers = map[string]string{
	"basic-auth":        "`Authorization: Basic`",
	"calendly":          "`Calendly-Webhook-Signature`",
	"chargebee":         "`Authorization: Basic`",
	"clerk":             "`svix-id`, `svix-timestamp`, `svix-signature`",
	"discord":           "`X-Signature-Ed25519`, `X-Signature-Timestamp`",
	"gitlab":            "`X-Gitlab-Token`",
	"gitlab-signing":    "`webhook-id`, `webhook-timestamp`, `webhook-signature`",
	"hubspot":           "`X-HubSpot-Signature-v3`, `X-HubSpot-Request-Timestamp`",
	"linear":            "`Linear-Signature` (timestamp: `webhookTimestamp` in the body)",
	"mailgun":           "none: `signature.timestamp`, `.token`, `.signature` in the body",
	"paddle":            "`Paddle-Signature`",
	"pipedrive":         "`Authorization: Basic`",
	"postmark":          "`Authorization: Basic`",
	"recurly":           "`recurly-signature`",
	"resend":            "`svix-id`, `svix-timestamp`, `svix-signature`",
	"revolut":           "`Revolut-Signature`, `Revolut-Request-Timestamp`",
	"sendgrid":          "`X-Twilio-Email-Event-Webhook-Signature`, `X-Twilio-Email-Event-Webhook-Timestamp`",
	"standard-webhooks": "`webhook-id`, `webhook-timestamp`, `webhook-signature`",
	"stripe":            "`Stripe-Signature`",
	"svix":              "`svix-id`, `svix-timestamp`, `svix-signature`",
	"telegram":          "`X-Telegram-Bot-Api-Secret-Token`",
	"twilio":            "`X-Twilio-Signature`",
	"twitch":            "`Twitch-Eventsub-Message-Signature`, `-Id`, `-Timestamp`",
	"xendit":            "`x-callback-token`",
	"zendesk":           "`X-Zendesk-Webhook-Signature`, `X-Zendesk-Webhook-Signature-Timestamp`",
}

// header is the header cell of p, in Markdown.
func header(p verify.PresetInfo) (string, error) {
	if h, ok := headers[p.Key]; ok {
		return h, nil
	}
	if p.HMAC == nil || p.HMAC.Header == "" {
		return "", fmt.Errorf("preset %q: no header known; add it to headers in cmd/presetdoc", p.Key)
	}
	h := "`" + p.HMAC.Header + "`"
	if p.HMAC.TimestampHeader != "" {
		h += ", `" + p.HMAC.TimestampHeader + "`"
	}
	return h, nil
}

// cell escapes what would break a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// render returns the generated Markdown: the table, then the families used.
func render(presets []verify.PresetInfo) (string, error) {
	var b strings.Builder
	b.WriteString("| Key | Provider | Mode / family | Header | Secret to paste | Docs |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	used := map[string]bool{}
	for _, p := range presets {
		h, err := header(p)
		if err != nil {
			return "", err
		}
		if _, ok := families[p.Family]; !ok {
			return "", fmt.Errorf("preset %q: family %q has no description in cmd/presetdoc", p.Key, p.Family)
		}
		used[p.Family] = true
		docs := "—"
		if p.DocsURL != "" {
			docs = "[docs](" + p.DocsURL + ")"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s · %s | %s | %s | %s |\n",
			p.Key, cell(p.Name), p.Mode, p.Family, cell(h), cell(p.SecretLabel), docs)
	}
	b.WriteString("\nFamilies:\n\n")
	keys := make([]string, 0, len(used))
	for f := range used {
		keys = append(keys, f)
	}
	slices.SortFunc(keys, func(a, c string) int { return familyOrder(a) - familyOrder(c) })
	for _, f := range keys {
		fmt.Fprintf(&b, "- **%s**: %s\n", f, families[f])
	}
	return b.String(), nil
}

// familyOrder sorts F1, F1s, F2, ... F9 in their natural order.
func familyOrder(f string) int {
	n := 0
	for _, c := range strings.TrimPrefix(f, "F") {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	n *= 2
	if strings.HasSuffix(f, "s") {
		n++
	}
	return n
}

// generated returns what the README holds between the markers.
func generated(readme []byte) ([]byte, error) {
	_, rest, ok := bytes.Cut(readme, []byte(beginMarker))
	if !ok {
		return nil, errors.New("README.md has no " + beginMarker)
	}
	inner, _, ok := bytes.Cut(rest, []byte(endMarker))
	if !ok {
		return nil, errors.New("README.md has no " + endMarker + " after " + beginMarker)
	}
	return inner, nil
}

// splice returns readme with content between the markers.
func splice(readme []byte, content string) ([]byte, error) {
	before, rest, ok := bytes.Cut(readme, []byte(beginMarker))
	if !ok {
		return nil, errors.New("README.md has no " + beginMarker)
	}
	_, after, ok := bytes.Cut(rest, []byte(endMarker))
	if !ok {
		return nil, errors.New("README.md has no " + endMarker + " after " + beginMarker)
	}
	var out bytes.Buffer
	out.Write(before)
	out.WriteString(beginMarker + "\n" + content + endMarker)
	out.Write(after)
	return out.Bytes(), nil
}

func main() {
	write := flag.Bool("w", false, "rewrite the preset list in the README instead of printing it")
	path := flag.String("readme", "README.md", "the README to rewrite with -w")
	flag.Parse()
	if err := run(*write, *path); err != nil {
		fmt.Fprintln(os.Stderr, "presetdoc:", err)
		os.Exit(1)
	}
}

func run(write bool, path string) error {
	table, err := render(verify.Presets())
	if err != nil {
		return err
	}
	if !write {
		_, err := os.Stdout.WriteString(table)
		return err
	}
	readme, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := splice(readme, table)
	if err != nil {
		return err
	}
	if bytes.Equal(out, readme) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}
