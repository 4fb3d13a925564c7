// Package auth authenticates API callers: API keys (generated, hashed,
// looked up), the HTTP middleware that scopes a request to the key's
// workspace, and workspace bootstrap. Tenant filtering itself is done once in
// the data layer (ent/schema policies) from the workspace this package puts
// in the context.
package auth
