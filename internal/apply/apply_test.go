package apply

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/githubapi"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/plan"
	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// stubClient records calls and answers from a script.
type stubClient struct {
	calls   []string
	puts    []githubapi.PutSecretRequest
	keys    []githubapi.PublicKey // returned in turn by GetPublicKey
	putErrs map[string][]error    // per secret, returned in turn
	delErrs map[string]error      // per secret
	created map[string]bool       // per secret: the PUT answers 201
	retried map[string]bool       // per secret: the PUT succeeded after a retried failure
	lists   map[string][]secret.Repository
	readErr map[string]error         // per secret: the kept list's read fails so
	secrets map[string]secret.Secret // what GetSecret finds
}

func (s *stubClient) GetSecret(_ context.Context, _ string, n secret.Name) (secret.Secret, error) {
	name := string(n)
	s.calls = append(s.calls, "get "+name)
	sec, ok := s.secrets[name]
	if !ok {
		return secret.Secret{}, &githubapi.Error{StatusCode: 404, Message: "Not Found"}
	}
	return sec, nil
}

func (s *stubClient) GetPublicKey(context.Context, string) (githubapi.PublicKey, error) {
	s.calls = append(s.calls, "key")
	k := s.keys[0]
	if len(s.keys) > 1 {
		s.keys = s.keys[1:]
	}
	return k, nil
}

func (s *stubClient) PutSecret(_ context.Context, _ string, n secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error) {
	name := string(n)
	s.calls = append(s.calls, "put "+name)
	req.EncryptedValue = sealedFor(req.EncryptedValue)
	s.puts = append(s.puts, req)
	if errs := s.putErrs[name]; len(errs) > 0 {
		s.putErrs[name] = errs[1:]
		return githubapi.PutResult{}, errs[0]
	}
	return githubapi.PutResult{Created: s.created[name], Retried: s.retried[name]}, nil
}

func (s *stubClient) PutSecretKeepingRepos(ctx context.Context, org string, n secret.Name, req githubapi.PutSecretRequest) (githubapi.PutResult, error) {
	name := string(n)
	s.calls = append(s.calls, "list "+name)
	if err := s.readErr[name]; err != nil {
		return githubapi.PutResult{}, fmt.Errorf("%w: %w", githubapi.ErrNotSent, err)
	}
	list, ok := s.lists[name]
	if !ok {
		return githubapi.PutResult{}, fmt.Errorf("%w: %w", githubapi.ErrNotSent, &githubapi.Error{StatusCode: 404, Message: "Not Found"})
	}
	res, err := s.PutSecret(ctx, org, n, req)
	res.Repositories = list
	return res, err
}

func (s *stubClient) DeleteSecret(_ context.Context, _ string, n secret.Name) error {
	name := string(n)
	s.calls = append(s.calls, "delete "+name)
	return s.delErrs[name]
}

func (s *stubClient) SetSelectedRepos(_ context.Context, _ string, n secret.Name, ids []int64) error {
	name := string(n)
	s.calls = append(s.calls, fmt.Sprint("set ", name, ids))
	return nil
}

func (s *stubClient) AddSelectedRepo(_ context.Context, _ string, n secret.Name, id int64) error {
	name := string(n)
	s.calls = append(s.calls, fmt.Sprint("add ", name, " ", id))
	return nil
}

func (s *stubClient) RemoveSelectedRepo(_ context.Context, _ string, n secret.Name, id int64) error {
	name := string(n)
	s.calls = append(s.calls, fmt.Sprint("remove ", name, " ", id))
	return nil
}

// keyPair is the key pair a test names label ("K1", "K2"), made from
// fixed bytes.
func keyPair(label string) (public, private *[32]byte) {
	public, private, err := box.GenerateKey(strings.NewReader(strings.Repeat(label, 32)))
	if err != nil {
		panic(err)
	}
	return public, private
}

// testKey is the organization key with id and the key pair label, as
// GetPublicKey returns it: decoded.
func testKey(id, label string) githubapi.PublicKey {
	public, _ := keyPair(label)
	return githubapi.PublicKey{KeyID: id, Key: base64.StdEncoding.EncodeToString(public[:]), Decoded: public}
}

// sealedFor names the test key pair the sealed value opens with, as
// "sealed(K1)", so that a test sees which key a PUT carried; a value that
// opens with none is kept as it is.
func sealedFor(sealed string) string {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return sealed
	}
	for _, label := range []string{"K1", "K2"} {
		public, private := keyPair(label)
		if _, ok := box.OpenAnonymous(nil, raw, public, private); ok {
			return "sealed(" + label + ")"
		}
	}
	return sealed
}

func runner(c *stubClient, values map[secret.Name]string) *Runner {
	if c.keys == nil {
		c.keys = []githubapi.PublicKey{testKey("k1", "K1")}
	}
	return &Runner{Client: c, Org: "acme", Values: values}
}

var errUnprocessable = &githubapi.Error{StatusCode: 422, Message: "Bad key"}

func TestDeletesRunLastAndOnlyWhenEverythingElseSucceeded(t *testing.T) {
	t.Parallel()
	c := &stubClient{putErrs: map[string][]error{"B": {errors.New("boom")}}}
	changes := []plan.Change{
		{Name: "OLD", Action: plan.Delete},
		{Name: "A", Action: plan.Create, Visibility: "all", WithValue: true},
		{Name: "B", Action: plan.Update, Visibility: "all", WithValue: true},
	}
	out := runner(c, map[secret.Name]string{"A": "1", "B": "2"}).Run(context.Background(), changes)
	if want := []string{"key", "put A", "put B"}; !reflect.DeepEqual(c.calls, want) {
		t.Errorf("calls %v, want %v", c.calls, want)
	}
	if !errors.Is(out[0].Err, ErrSkipped) || out[0].Name != "OLD" {
		t.Errorf("the delete was not skipped: %+v", out[0])
	}
}

func TestDeletesRunAfterTheOtherChangesButKeepTheirPlace(t *testing.T) {
	t.Parallel()
	c := &stubClient{}
	changes := []plan.Change{
		{Name: "OLD", Action: plan.Delete},
		{Name: "A", Action: plan.Update, Visibility: "all"},
	}
	out := runner(c, nil).Run(context.Background(), changes)
	if want := []string{"put A", "delete OLD"}; !reflect.DeepEqual(c.calls, want) {
		t.Errorf("calls %v, want %v", c.calls, want)
	}
	if out[0].Name != "OLD" || out[0].Err != nil || out[1].Name != "A" {
		t.Errorf("outcomes %+v", out)
	}
}

func TestAFailedDeleteDoesNotStopTheOtherDeletes(t *testing.T) {
	t.Parallel()
	c := &stubClient{delErrs: map[string]error{"A": &githubapi.Error{StatusCode: 502, Message: "Bad Gateway"}}}
	changes := []plan.Change{
		{Name: "A", Action: plan.Delete},
		{Name: "B", Action: plan.Delete},
		{Name: "C", Action: plan.Delete},
	}
	out := runner(c, nil).Run(context.Background(), changes)
	if want := []string{"delete A", "delete B", "delete C"}; !reflect.DeepEqual(c.calls, want) {
		t.Errorf("calls %v, want %v", c.calls, want)
	}
	if out[0].Err == nil || out[1].Err != nil || out[2].Err != nil {
		t.Errorf("outcomes %+v", out)
	}
}

func TestARefusedWriteStopsTheRemainingWrites(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		refusal error
	}{
		{"a 403 with the permission it needs", &githubapi.Error{StatusCode: 403, Message: "Resource not accessible by personal access token",
			AcceptedPermissions: githubapi.ParseAcceptedPermissions("organization_codespaces_secrets=write")}},
		{"a classic token's 404 without the scope", &githubapi.Error{StatusCode: 404, Message: "Not Found",
			HasOAuthScopes: true, OAuthScopes: []string{"repo"}, AcceptedOAuthScopes: []string{"admin:org"}}},
		{"a 401", &githubapi.Error{StatusCode: 401, Message: "Bad credentials"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := &stubClient{putErrs: map[string][]error{"A": {tc.refusal}}}
			changes := []plan.Change{
				{Name: "GONE", Action: plan.Delete},
				{Name: "A", Action: plan.Create, Visibility: "all", WithValue: true},
				{Name: "B", Action: plan.Create, Visibility: "all", WithValue: true},
				{Name: "C", Action: plan.Update, Visibility: "all"},
				{Name: "D", Action: plan.Unchanged},
			}
			out := runner(c, map[secret.Name]string{"A": "1", "B": "2"}).Run(context.Background(), changes)
			if want := []string{"key", "put A"}; !reflect.DeepEqual(c.calls, want) {
				t.Errorf("calls %v, want %v: nothing after the refusal", c.calls, want)
			}
			if out[1].Err != tc.refusal {
				t.Errorf("A: %v, want the refusal", out[1].Err)
			}
			for _, i := range []int{0, 2, 3} {
				var nr *NotRunError
				if !errors.As(out[i].Err, &nr) || nr.After != "A" || !strings.Contains(out[i].Err.Error(), "not run") {
					t.Errorf("%s: %v, want not run after A", out[i].Name, out[i].Err)
				}
			}
			if out[4].Err != nil {
				t.Errorf("the unchanged secret: %v", out[4].Err)
			}
		})
	}
}

func TestAFailureThatIsNoRefusalDoesNotStopTheOthers(t *testing.T) {
	t.Parallel()
	c := &stubClient{putErrs: map[string][]error{"A": {&githubapi.Error{StatusCode: 404, Message: "Not Found"}}}}
	changes := []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: "all"},
		{Name: "B", Action: plan.Update, Visibility: "all"},
	}
	out := runner(c, nil).Run(context.Background(), changes)
	if want := []string{"put A", "put B"}; !reflect.DeepEqual(c.calls, want) || out[1].Err != nil {
		t.Errorf("calls %v, want %v; B: %v", c.calls, want, out[1].Err)
	}
}

func TestAKeyRotatedSinceTheFetchIsFetchedAgainOnce(t *testing.T) {
	t.Parallel()
	c := &stubClient{
		keys:    []githubapi.PublicKey{testKey("k1", "K1"), testKey("k2", "K2")},
		putErrs: map[string][]error{"A": {errUnprocessable}},
	}
	out := runner(c, map[secret.Name]string{"A": "1"}).Run(context.Background(), []plan.Change{{Name: "A", Action: plan.Create, Visibility: "private", WithValue: true}})
	if out[0].Err != nil {
		t.Fatal(out[0].Err)
	}
	if want := []string{"key", "put A", "key", "put A"}; !reflect.DeepEqual(c.calls, want) {
		t.Errorf("calls %v, want %v", c.calls, want)
	}
	if c.puts[1].KeyID != "k2" || c.puts[1].EncryptedValue != "sealed(K2)" {
		t.Errorf("the retry used %+v", c.puts[1])
	}
}

func TestA422WithTheSameKeyIsNotRetried(t *testing.T) {
	t.Parallel()
	c := &stubClient{putErrs: map[string][]error{"A": {errUnprocessable}}}
	out := runner(c, map[secret.Name]string{"A": "1"}).Run(context.Background(), []plan.Change{{Name: "A", Action: plan.Create, Visibility: "private", WithValue: true}})
	if githubapi.StatusCode(out[0].Err) != 422 {
		t.Fatalf("err = %v", out[0].Err)
	}
	if want := []string{"key", "put A", "key"}; !reflect.DeepEqual(c.calls, want) {
		t.Errorf("calls %v, want %v", c.calls, want)
	}
}

func TestWhatAPutSends(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change plan.Change
		want   githubapi.PutSecretRequest
	}{
		{"a scope change sends no value", plan.Change{Name: "A", Action: plan.Update, Visibility: "all"}, githubapi.PutSecretRequest{Visibility: "all"}},
		{"a selected secret always sends its list", plan.Change{Name: "A", Action: plan.Update, Visibility: "selected", RepoIDs: []int64{1, 2}, WithValue: true}, githubapi.PutSecretRequest{Visibility: "selected", SelectedRepositoryIDs: []int64{1, 2}, EncryptedValue: "sealed(K1)", KeyID: "k1"}},
		{"an empty list is sent, not omitted", plan.Change{Name: "A", Action: plan.Update, Visibility: "selected"}, githubapi.PutSecretRequest{Visibility: "selected", SelectedRepositoryIDs: []int64{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &stubClient{}
			out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{tt.change})
			if out[0].Err != nil {
				t.Fatal(out[0].Err)
			}
			if !reflect.DeepEqual(c.puts[0], tt.want) {
				t.Errorf("sent %+v, want %+v", c.puts[0], tt.want)
			}
		})
	}
}

func TestDeletingASecretThatIsAlreadyGoneSucceeds(t *testing.T) {
	t.Parallel()
	c := &stubClient{delErrs: map[string]error{"GONE": &githubapi.Error{StatusCode: 404}}}
	out := runner(c, nil).Run(context.Background(), []plan.Change{{Name: "GONE", Action: plan.Delete}})
	if out[0].Err != nil {
		t.Errorf("err = %v", out[0].Err)
	}
}

func TestUnchangedSendsNothingAndRepositoryActionsUseTheirEndpoints(t *testing.T) {
	t.Parallel()
	c := &stubClient{}
	runner(c, nil).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Unchanged},
		{Name: "A", Action: plan.SetRepositories, RepoIDs: []int64{1}},
		{Name: "A", Action: plan.AddRepository, RepoIDs: []int64{2}},
		{Name: "A", Action: plan.RemoveRepository, RepoIDs: []int64{3}},
	})
	if got := strings.Join(c.calls, ";"); got != "set A[1];add A 2;remove A 3" {
		t.Errorf("calls %s", got)
	}
}

func TestAnUpdateThatCreatesDeletesTheSecretAgain(t *testing.T) {
	planned := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, keep := range []bool{false, true} {
		c := &stubClient{created: map[string]bool{"A": true}, lists: map[string][]secret.Repository{"A": {{ID: 1, FullName: "acme/web"}}},
			secrets: map[string]secret.Secret{"A": {Name: "A", Visibility: "all", CreatedAt: planned.Add(time.Second)}}}
		ch := plan.Change{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: planned}
		if keep {
			ch.Visibility, ch.KeepRepos = secret.Selected, true
		}
		out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{ch})
		var conflict *ConflictError
		if !errors.As(out[0].Err, &conflict) || !conflict.Recreated {
			t.Fatalf("keep %v: err %v, want a conflict", keep, out[0].Err)
		}
		if msg := out[0].Err.Error(); !strings.Contains(msg, "secret A was deleted by someone else during the run") || !strings.Contains(msg, "deleted again") {
			t.Errorf("message %q", msg)
		}
		if last := c.calls[len(c.calls)-1]; last != "delete A" {
			t.Errorf("calls %v, want the re-created secret deleted", c.calls)
		}
	}
}

func TestACreateThatCreatesIsNoConflict(t *testing.T) {
	c := &stubClient{created: map[string]bool{"A": true}}
	out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{{Name: "A", Action: plan.Create, Visibility: "all", WithValue: true}})
	if out[0].Err != nil || slices.Contains(c.calls, "delete A") {
		t.Errorf("err %v, calls %v", out[0].Err, c.calls)
	}
}

func TestAKeptListIsReadAtTheWriteAndReported(t *testing.T) {
	c := &stubClient{lists: map[string][]secret.Repository{"A": {{ID: 1, FullName: "acme/web"}, {ID: 2, FullName: "acme/api"}}}}
	out := runner(c, map[secret.Name]string{"A": "v", "B": "w"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: secret.Selected, WithValue: true, Exists: true, KeepRepos: true},
		{Name: "B", Action: plan.Update, Visibility: secret.Selected, WithValue: true, Exists: true, KeepRepos: true},
	})
	if out[0].Err != nil || !reflect.DeepEqual(out[0].Repositories, []string{"acme/web", "acme/api"}) || !reflect.DeepEqual(out[0].RepoIDs, []int64{1, 2}) {
		t.Errorf("A: %+v, want the repositories sent", out[0])
	}
	if c.puts[0].SelectedRepositoryIDs != nil {
		t.Errorf("a kept list went as a list of its own: %v", c.puts[0].SelectedRepositoryIDs)
	}
	// B's list answers 404: deleted before its write, which is not sent.
	var conflict *ConflictError
	if !errors.As(out[1].Err, &conflict) || conflict.Recreated || slices.Contains(c.calls, "put B") {
		t.Errorf("B: err %v, calls %v, want a conflict and no PUT", out[1].Err, c.calls)
	}
}

func TestARetriedUpdateThatReCreatedTheSecretDeletesItAgain(t *testing.T) {
	t.Parallel()
	planned := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		createdAt time.Time // what GetSecret finds after the retried PUT
		want      []string
		conflict  bool
	}{
		{"a secret created after the run read it was re-created by an earlier attempt", planned.Add(time.Minute), []string{"key", "put A", "get A", "delete A"}, true},
		{"the secret the run read was updated", planned, []string{"key", "put A", "get A"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &stubClient{retried: map[string]bool{"A": true}, secrets: map[string]secret.Secret{"A": {Name: "A", Visibility: "all", CreatedAt: tt.createdAt}}}
			out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
				{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: planned}})
			if !reflect.DeepEqual(c.calls, tt.want) {
				t.Errorf("calls %v, want %v", c.calls, tt.want)
			}
			var conflict *ConflictError
			if got := errors.As(out[0].Err, &conflict) && conflict.Recreated; got != tt.conflict {
				t.Errorf("err %v, want a re-created conflict: %v", out[0].Err, tt.conflict)
			}
		})
	}
}

func TestAnUpdateNotRetriedCostsNoCheck(t *testing.T) {
	t.Parallel()
	c := &stubClient{}
	out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: time.Now()}})
	if out[0].Err != nil || !reflect.DeepEqual(c.calls, []string{"key", "put A"}) {
		t.Errorf("err %v, calls %v, want only the key and the PUT", out[0].Err, c.calls)
	}
}

func TestAVisibilityChangedBySomeoneElseIsAConflictAndNotWritten(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"found by the secret's own visibility", &githubapi.NotSelectedError{Name: "A", Visibility: "all"}, "(it is now all, no longer selected)"},
		{"GitHub's 409 for the list of a secret that is not selected", &githubapi.Error{StatusCode: 409, Message: "Conflict when visibility type not set to selected"}, "(it is no longer selected)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &stubClient{readErr: map[string]error{"A": tt.err}}
			out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
				{Name: "A", Action: plan.Update, Visibility: secret.Selected, WithValue: true, Exists: true, KeepRepos: true}})
			var conflict *ConflictError
			if !errors.As(out[0].Err, &conflict) || !conflict.VisibilityChanged || slices.Contains(c.calls, "put A") {
				t.Fatalf("err %v, calls %v, want a visibility conflict and no PUT", out[0].Err, c.calls)
			}
			msg := out[0].Err.Error()
			if !strings.Contains(msg, "the visibility of secret A was changed by someone else during the run "+tt.want+", so it was not written") ||
				!strings.Contains(msg, "run again") || strings.Contains(msg, "set `visibility: selected`") {
				t.Errorf("message %q", msg)
			}
		})
	}
}

func TestACreateAnsweredAsAnUpdateWarns(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		retried bool
		want    string
	}{
		{"someone else created it meanwhile", false, "secret A was created by someone else during the run, after this run found it absent: this run's value and visibility (all) replaced theirs"},
		{"a retry after an attempt that created it", true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &stubClient{retried: map[string]bool{"A": tt.retried}}
			out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{{Name: "A", Action: plan.Create, Visibility: "all", WithValue: true}})
			if out[0].Err != nil || out[0].Warning != tt.want {
				t.Errorf("err %v, warning %q, want none and %q", out[0].Err, out[0].Warning, tt.want)
			}
		})
	}
}

// TestAnUpdateAnswered201IsConfirmedBeforeItIsUndone: a 201 alone is no
// proof that the update re-created the secret (a fault, a proxy, GitHub
// itself may answer 201 to an update it applied). Only a created_at later
// than the one read while planning is; a zero one is never a reason to
// delete.
func TestAnUpdateAnswered201IsConfirmedBeforeItIsUndone(t *testing.T) {
	t.Parallel()
	planned := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		name      string
		plannedAt time.Time // CreatedAt read while planning
		foundAt   time.Time // what GetSecret finds after the PUT
		want      []string
		conflict  bool
	}{
		{"the secret the run read was updated", planned, planned, []string{"key", "put A", "get A"}, false},
		{"the secret was re-created", planned, planned.Add(time.Minute), []string{"key", "put A", "get A", "delete A"}, true},
		{"no created_at was read: nothing to compare, nothing deleted", time.Time{}, planned.Add(time.Minute), []string{"key", "put A"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &stubClient{created: map[string]bool{"A": true}, secrets: map[string]secret.Secret{"A": {Name: "A", Visibility: "all", CreatedAt: tt.foundAt}}}
			out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
				{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: tt.plannedAt}})
			if !reflect.DeepEqual(c.calls, tt.want) {
				t.Errorf("calls %v, want %v", c.calls, tt.want)
			}
			var conflict *ConflictError
			if got := errors.As(out[0].Err, &conflict) && conflict.Recreated; got != tt.conflict || (!tt.conflict && out[0].Err != nil) {
				t.Errorf("err %v, want a re-created conflict: %v", out[0].Err, tt.conflict)
			}
		})
	}
}

func TestAnUpdateAnswered201WhoseCheckFailsDeletesNothing(t *testing.T) {
	t.Parallel()
	c := &stubClient{created: map[string]bool{"A": true}} // GetSecret answers 404
	out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: time.Now()}})
	if out[0].Err == nil || !strings.Contains(out[0].Err.Error(), "was answered 201 Created") || slices.Contains(c.calls, "delete A") {
		t.Errorf("err %v, calls %v, want a failed check and no delete", out[0].Err, c.calls)
	}
}

func TestARetriedUpdateWithAZeroCreatedAtMakesNoCheck(t *testing.T) {
	t.Parallel()
	c := &stubClient{retried: map[string]bool{"A": true}, secrets: map[string]secret.Secret{"A": {Name: "A", Visibility: "all", CreatedAt: time.Now()}}}
	out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true}})
	if out[0].Err != nil || !reflect.DeepEqual(c.calls, []string{"key", "put A"}) {
		t.Errorf("err %v, calls %v, want no GET and no DELETE", out[0].Err, c.calls)
	}
}

func TestAnUndoThatFinds404IsAConflictWithoutAnUndoError(t *testing.T) {
	t.Parallel()
	planned := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &stubClient{created: map[string]bool{"A": true}, delErrs: map[string]error{"A": &githubapi.Error{StatusCode: 404, Message: "Not Found"}},
		secrets: map[string]secret.Secret{"A": {Name: "A", Visibility: "all", CreatedAt: planned.Add(time.Minute)}}}
	out := runner(c, map[secret.Name]string{"A": "v"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: "all", WithValue: true, Exists: true, CreatedAt: planned}})
	var conflict *ConflictError
	if !errors.As(out[0].Err, &conflict) || !conflict.Recreated || conflict.Undo != nil {
		t.Fatalf("err %#v, want a re-created conflict with no undo error", out[0].Err)
	}
	if strings.Contains(out[0].Err.Error(), "deleting it again failed") {
		t.Errorf("message %q blames a delete that found the secret gone", out[0].Err)
	}
}

// TestAFailedWriteReportsOnlyTheRepositoriesItKnows: a write that keeps a
// list and fails reports the list it read for it, or none at all when it
// read none; never an empty list it did not clear.
func TestAFailedWriteReportsOnlyTheRepositoriesItKnows(t *testing.T) {
	t.Parallel()
	repos := []secret.Repository{{ID: 1, FullName: "acme/web"}}
	c := &stubClient{
		lists:   map[string][]secret.Repository{"A": repos},
		putErrs: map[string][]error{"A": {errors.New("boom")}},
		readErr: map[string]error{"B": errors.New("list read failed")},
	}
	out := runner(c, map[secret.Name]string{"A": "v", "B": "w"}).Run(context.Background(), []plan.Change{
		{Name: "A", Action: plan.Update, Visibility: secret.Selected, WithValue: true, Exists: true, KeepRepos: true},
		{Name: "B", Action: plan.Update, Visibility: secret.Selected, WithValue: true, Exists: true, KeepRepos: true},
	})
	if out[0].Err == nil || out[0].ReposUnknown || !reflect.DeepEqual(out[0].Repositories, []string{"acme/web"}) {
		t.Errorf("A: %+v, want the failure with the list read for it", out[0])
	}
	if out[1].Err == nil || !out[1].ReposUnknown || len(out[1].Repositories) != 0 {
		t.Errorf("B: %+v, want the failure with its list unknown", out[1])
	}
}

// failingRand is a random source that has run dry.
type failingRand struct{}

func (failingRand) Read([]byte) (int, error) { return 0, errors.New("entropy source is closed") }

// The runner seals with the random source it is given, and a source that
// fails stops the write before it is sent, without showing the value.
func TestValuesAreSealedWithTheRunnersRandomSource(t *testing.T) {
	t.Parallel()
	const value = "s3cr3t-value-that-must-not-leak"
	c := &stubClient{}
	r := runner(c, map[secret.Name]string{"A": value})
	r.Rand = failingRand{}
	out := r.Run(context.Background(), []plan.Change{{Name: "A", Action: plan.Create, Visibility: "private", WithValue: true}})
	err := out[0].Err
	if err == nil || !strings.Contains(err.Error(), "could not encrypt the value") || !strings.Contains(err.Error(), "entropy source is closed") {
		t.Fatalf("err = %v, want the random source's failure", err)
	}
	if strings.Contains(err.Error(), value) || len(c.puts) != 0 {
		t.Errorf("err %q shows the value, or %d PUTs were sent", err, len(c.puts))
	}
}
