// Package template renders flow-step configuration: JSON values whose strings
// may hold placeholders such as {{payload.order.total}}, {{contact.email}},
// {{headers.x-name}} or {{webhook.name}}. Placeholders are plain lookups; there
// are no functions, conditions or loops, so a template cannot run code or
// loop forever, and its output is bounded by the caller.
package template
