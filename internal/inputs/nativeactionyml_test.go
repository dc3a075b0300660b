package inputs

import (
	"reflect"
	"testing"
)

// The native entry point, native/action.yml, is the same action as the root
// action.yml started another way: a workflow that switches from one to the
// other must see the same inputs, defaults and outputs.

func TestNativeActionYMLDeclaresTheSameInputsAndOutputs(t *testing.T) {
	t.Parallel()
	root, rootIn, rootOut := loadActionYML(t)
	native, nativeIn, nativeOut := loadActionYMLFile(t, "../../native/action.yml")
	if !reflect.DeepEqual(nativeIn, rootIn) {
		t.Errorf("native/action.yml declares the inputs %q, action.yml %q (same set and order wanted)", nativeIn, rootIn)
	}
	if !reflect.DeepEqual(nativeOut, rootOut) {
		t.Errorf("native/action.yml declares the outputs %q, action.yml %q (same set and order wanted)", nativeOut, rootOut)
	}
	for name, want := range root.Inputs {
		got, ok := native.Inputs[name]
		if !ok {
			continue // reported above
		}
		if got.Description != want.Description {
			t.Errorf("input %q: description in native/action.yml\n  %q\nin action.yml\n  %q", name, got.Description, want.Description)
		}
		if !reflect.DeepEqual(got.Required, want.Required) {
			t.Errorf("input %q: required is %v in native/action.yml, %v in action.yml", name, deref(got.Required), deref(want.Required))
		}
		if !reflect.DeepEqual(got.Default, want.Default) {
			t.Errorf("input %q: default is %v in native/action.yml, %v in action.yml", name, deref(got.Default), deref(want.Default))
		}
	}
	for name, want := range root.Outputs {
		if got, ok := native.Outputs[name]; ok && got.Description != want.Description {
			t.Errorf("output %q: description in native/action.yml\n  %q\nin action.yml\n  %q", name, got.Description, want.Description)
		}
	}
}

func TestNativeActionYMLIsANode24ActionWithMetadata(t *testing.T) {
	t.Parallel()
	root, _, _ := loadActionYML(t)
	a, _, _ := loadActionYMLFile(t, "../../native/action.yml")
	wantEqual(t, a.Runs.Using, "node24")
	wantEqual(t, a.Runs.Main, "main.js")
	wantEqual(t, a.Runs.Image, "")
	if a.Name == root.Name {
		t.Errorf("native/action.yml has the root action's name %q; give it its own", a.Name)
	}
	if a.Description == "" || len(a.Description) > 125 {
		t.Errorf("description is %d characters; the Marketplace wants 1 to 125", len(a.Description))
	}
	wantEqual(t, a.Author, root.Author)
	wantEqual(t, a.Branding, root.Branding)
}

// deref shows a *bool or *string as its value, or "unset".
func deref[T any](p *T) any {
	if p == nil {
		return "unset"
	}
	return *p
}
