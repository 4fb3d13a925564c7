package verify

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// PresetInfo describes a preset: a provider whose scheme is built in.
type PresetInfo struct {
	Key, Name string // "github", "GitHub"
	// Mode is PRESET, or the native mode the preset is (the "stripe" preset
	// is STRIPE); a config may use either.
	Mode Mode
	// HMAC holds the values the scheme would have as GENERIC_HMAC, when it is
	// expressible that way; nil otherwise.
	HMAC        *HMACParams
	SecretLabel string // what to paste, in the provider's words
	DocsURL     string
	Family      string // providers.md family: F1, F1s, F2, F3, F4, F5, F6, F7, F8, F9
	// Tolerance is the replay window the provider documents (0: none or no
	// timestamp). Advisory: Verify applies Config.Tolerance.
	Tolerance time.Duration
}

// preset is one row of the registry.
type preset struct {
	key, name, family string
	mode              Mode // "" means Preset
	label, docs       string
	tolerance         time.Duration
	auth              authenticator
	id                idSource
	handshake         handshakeFunc
}

// presetTable is the registry, sorted by key; built once, never changed.
var presetTable = sortedPresets(hmacPresets, otherPresets)

func sortedPresets(groups ...[]preset) []preset {
	all := slices.Concat(groups...)
	slices.SortFunc(all, func(a, b preset) int { return cmp.Compare(a.key, b.key) })
	return all
}

// Presets returns every preset, ordered by key.
func Presets() []PresetInfo {
	out := make([]PresetInfo, len(presetTable))
	for i := range presetTable {
		out[i] = presetTable[i].info()
	}
	return out
}

// LookupPreset returns the preset named key.
func LookupPreset(key string) (PresetInfo, bool) {
	p, ok := lookup(key)
	if !ok {
		return PresetInfo{}, false
	}
	return p.info(), true
}

func lookup(key string) (*preset, bool) {
	key = strings.ToLower(strings.TrimSpace(key))
	i, ok := slices.BinarySearchFunc(presetTable, key, func(p preset, k string) int { return cmp.Compare(p.key, k) })
	if !ok {
		return nil, false
	}
	return &presetTable[i], true
}

func (p *preset) info() PresetInfo {
	info := PresetInfo{
		Key: p.key, Name: p.name, Mode: cmp.Or(p.mode, Preset), SecretLabel: p.label,
		DocsURL: p.docs, Family: p.family, Tolerance: p.tolerance,
	}
	if s, ok := p.auth.(*scheme); ok {
		info.HMAC = s.params()
	}
	return info
}

func (p *preset) binding() binding {
	return binding{auth: p.auth, id: p.id, handshake: p.handshake}
}
