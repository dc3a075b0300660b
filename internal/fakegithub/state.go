package fakegithub

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/nacl/box"
)

// The values of a secret's visibility, as GitHub spells them.
const (
	// VisibilityAll gives every repository in the organization the secret.
	VisibilityAll = "all"
	// VisibilityPrivate gives the organization's private and internal
	// repositories the secret.
	VisibilityPrivate = "private"
	// VisibilitySelected gives only the selected repositories the secret.
	VisibilitySelected = "selected"
)

// Limits the fake enforces on writes, each answered with 422.
const (
	// MaxSecrets is how many Codespaces secrets one organization may hold;
	// creating one more is refused.
	MaxSecrets = 100
	// MaxValueBytes is the largest secret value (48 KB, after decryption).
	MaxValueBytes = 48 * 1024
)

// IDs the fake gives accounts and repositories.
const (
	// FirstRepoID is the ID AddRepo gives the first repository (the ID of
	// octocat/Hello-World in GitHub's examples); later ones count up.
	FirstRepoID int64 = 1296269
	// OrgID is the account ID of the organization; other owners that
	// AddRepo creates get the IDs after it.
	OrgID int64 = 9919001
)

// secretName is GitHub's rule for secret names: letters, digits and
// underscores, not starting with a digit. The GITHUB_ prefix is checked
// separately.
var secretName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// canonicalName returns the name as GitHub stores it (upper case) and
// whether it is a valid secret name.
func canonicalName(name string) (string, bool) {
	upper := strings.ToUpper(name)
	if !secretName.MatchString(name) || strings.HasPrefix(upper, "GITHUB_") {
		return upper, false
	}
	return upper, true
}

func validVisibility(v string) bool {
	return v == VisibilityAll || v == VisibilityPrivate || v == VisibilitySelected
}

// Repo is a repository the fake knows, in the organization or owned by
// another account.
type Repo struct {
	ID         int64  // stable, increasing from FirstRepoID
	NodeID     string // GitHub's global node ID, derived from ID
	Owner      string // the owner's login
	OwnerID    int64  // the owner's account ID
	Name       string
	FullName   string // "owner/name"
	Private    bool
	Visibility string // "public", "private" or "internal"
}

// SecretState is a secret as the fake stores it, with its value in plain
// text. Times are in UTC, truncated to seconds as GitHub shows them.
type SecretState struct {
	Name       string // upper case, as GitHub stores it
	Visibility string // "all", "private" or "selected"
	Value      string // the decrypted value
	RepoIDs    []int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

type secret struct {
	name       string
	value      string
	visibility string
	repos      map[int64]bool
	created    time.Time
	updated    time.Time
}

func (sec *secret) state() SecretState {
	ids := make([]int64, 0, len(sec.repos))
	for id := range sec.repos {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return SecretState{Name: sec.name, Visibility: sec.visibility, Value: sec.value, RepoIDs: ids, CreatedAt: sec.created, UpdatedAt: sec.updated}
}

// keyPair is the organization's Codespaces secrets key.
type keyPair struct {
	id   string
	pub  *[32]byte
	priv *[32]byte
}

// newKey makes a key pair from s.rand. Its key_id is a 19-digit decimal
// number, like GitHub's, derived from the public key and the generation so
// that every rotation gives a new key_id even when the random source
// repeats itself. The caller holds s.mu (or owns s exclusively).
func (s *Server) newKey() {
	pub, priv, err := box.GenerateKey(s.rand)
	if err != nil {
		panic(fmt.Sprintf("fakegithub: generating the organization's key pair failed: %v; give WithRand a reader with enough bytes (32 per key)", err))
	}
	s.keyGen++
	h := sha256.New()
	h.Write(pub[:])
	_ = binary.Write(h, binary.BigEndian, int64(s.keyGen))
	n := binary.BigEndian.Uint64(h.Sum(nil)) % 9_000_000_000_000_000_000
	id := strconv.FormatUint(1_000_000_000_000_000_000+n, 10)
	if id == s.key.id { // practically impossible; keep the promise anyway
		id = strconv.FormatUint(1_000_000_000_000_000_000+(n+1)%9_000_000_000_000_000_000, 10)
	}
	s.key = keyPair{id: id, pub: pub, priv: priv}
}

// PublicKey returns the organization's current key_id and base64 public
// key, exactly as GET .../codespaces/secrets/public-key answers them.
func (s *Server) PublicKey() (keyID, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key.id, base64.StdEncoding.EncodeToString(s.key.pub[:])
}

// RotateKey replaces the organization's key pair and key_id. A PUT that
// still sends the old key_id, or a box sealed for the old key, then gets
// 422. It is safe to use as a Fault's Before.
func (s *Server) RotateKey() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.newKey()
}

// AddRepo adds a repository and returns it; adding a name that exists
// (case-insensitively) returns the existing one. A plain name creates the
// repository in the organization; "owner/name" creates it under another
// account, where GET /repos finds it but secrets of the organization cannot
// select it (422). Repositories are private. It panics on an empty name
// or owner and on a name with more than one slash.
func (s *Server) AddRepo(name string) Repo {
	owner, repoName := s.org, name
	if o, n, ok := strings.Cut(name, "/"); ok {
		owner, repoName = o, n
	}
	if owner == "" || repoName == "" || strings.Contains(repoName, "/") {
		panic(fmt.Sprintf("fakegithub: AddRepo(%q): want a repository name or owner/name", name))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.findRepo(owner, repoName); r != nil {
		return *r
	}
	ownerID, ok := s.owners[strings.ToLower(owner)]
	if !ok {
		ownerID = OrgID + int64(len(s.owners))
		s.owners[strings.ToLower(owner)] = ownerID
	}
	if strings.EqualFold(owner, s.org) {
		owner = s.org
	}
	id := FirstRepoID + int64(len(s.repos))
	r := &Repo{
		ID:         id,
		NodeID:     base64.StdEncoding.EncodeToString([]byte("010:Repository" + strconv.FormatInt(id, 10))),
		Owner:      owner,
		OwnerID:    ownerID,
		Name:       repoName,
		FullName:   owner + "/" + repoName,
		Private:    true,
		Visibility: "private",
	}
	s.repos = append(s.repos, r)
	return *r
}

// findRepo looks a repository up by owner and name, case-insensitively.
// The caller holds s.mu.
func (s *Server) findRepo(owner, name string) *Repo {
	for _, r := range s.repos {
		if strings.EqualFold(r.Owner, owner) && strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// repoByID returns the repository with the given ID. The caller holds s.mu.
func (s *Server) repoByID(id int64) *Repo {
	i := id - FirstRepoID
	if i < 0 || i >= int64(len(s.repos)) {
		return nil
	}
	return s.repos[i]
}

// inOrg reports whether the repository belongs to the organization.
func (s *Server) inOrg(r *Repo) bool {
	return strings.EqualFold(r.Owner, s.org)
}

// AddSecret creates or replaces a secret directly, without a request, with
// a plain-text value. The name is stored upper case; created_at and
// updated_at are the clock's now (a replaced secret keeps its created_at).
// repoIDs are the selected repositories, allowed only with "selected". It
// panics on an invalid name or visibility and on IDs that are not
// repositories of the organization: those are mistakes in the test.
func (s *Server) AddSecret(name, value, visibility string, repoIDs ...int64) {
	upper, ok := canonicalName(name)
	if !ok {
		panic(fmt.Sprintf("fakegithub: AddSecret(%q): invalid secret name", name))
	}
	if !validVisibility(visibility) {
		panic(fmt.Sprintf("fakegithub: AddSecret(%q): visibility %q is not all, private or selected", name, visibility))
	}
	if len(repoIDs) > 0 && visibility != VisibilitySelected {
		panic(fmt.Sprintf("fakegithub: AddSecret(%q): repository IDs need visibility selected, not %q", name, visibility))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	repos := map[int64]bool{}
	for _, id := range repoIDs {
		if r := s.repoByID(id); r == nil || !s.inOrg(r) {
			panic(fmt.Sprintf("fakegithub: AddSecret(%q): %d is not a repository of %s; add it with AddRepo first", name, id, s.org))
		}
		repos[id] = true
	}
	now := s.stamp()
	created := now
	if old, ok := s.secrets[upper]; ok {
		created = old.created
	}
	s.secrets[upper] = &secret{name: upper, value: value, visibility: visibility, repos: repos, created: created, updated: now}
}

// RemoveSecret deletes a secret directly, without a request, as someone
// else's run would; it reports whether the secret existed.
func (s *Server) RemoveSecret(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	upper := strings.ToUpper(name)
	_, ok := s.secrets[upper]
	delete(s.secrets, upper)
	return ok
}

// stamp is the clock's now as GitHub shows timestamps: UTC, whole seconds.
func (s *Server) stamp() time.Time {
	return s.now().UTC().Truncate(time.Second)
}

// Secret returns the secret with the given name (case-insensitive) and its
// decrypted value, and whether it exists.
func (s *Server) Secret(name string) (SecretState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sec, ok := s.secrets[strings.ToUpper(name)]
	if !ok {
		return SecretState{}, false
	}
	return sec.state(), true
}

// Secrets returns every secret of the organization, sorted by name.
func (s *Server) Secrets() []SecretState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SecretState, 0, len(s.secrets))
	for _, sec := range s.sortedSecrets() {
		out = append(out, sec.state())
	}
	return out
}

// sortedSecrets returns the secrets sorted by name. The caller holds s.mu.
func (s *Server) sortedSecrets() []*secret {
	out := make([]*secret, 0, len(s.secrets))
	for _, sec := range s.secrets {
		out = append(out, sec)
	}
	slices.SortFunc(out, func(a, b *secret) int { return strings.Compare(a.name, b.name) })
	return out
}
