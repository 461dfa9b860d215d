// Level 1 helper (a test server, not a test): an in-memory OCI registry with the OCI 1.1 referrers
// API (GET /v2/<name>/referrers/<digest>), go-containerregistry's pkg/registry with
// WithReferrersSupport(true), behind HTTP basic auth. Debian's docker-registry (distribution 2.8.2)
// has no referrers API, so the referrers tests need this one. test/support/registry.ts builds and
// starts it.
//
// One correction on top of go-containerregistry v0.22.1: its referrers list sets each descriptor's
// artifactType to the referrer's config.mediaType, also when the manifest has its own artifactType
// (what `oras attach` writes, with the empty config application/vnd.oci.empty.v1+json). The OCI
// distribution spec (v1.1, "Listing Referrers") says the descriptor's artifactType is the manifest's
// artifactType if present, else the config descriptor's mediaType; withSpecArtifactTypes applies
// that rule, so `oras discover --artifact-type` finds what was attached.
//
// Usage: oci-registry serve   (reads one line "<user>:<password>" on stdin; listens on a free
// 127.0.0.1 port and prints "listening on 127.0.0.1:<port>" on stdout)
//
//	oci-registry version (prints "go-containerregistry <version>", from the build info)
package main

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
)

const realm = "dpra-test-registry"

const ggcr = "github.com/google/go-containerregistry"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oci-registry serve|version  (serve reads \"<user>:<password>\" on stdin)")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "version":
		v, err := ggcrVersion()
		if err != nil {
			fmt.Fprintln(os.Stderr, "oci-registry:", err)
			os.Exit(1)
		}
		fmt.Println("go-containerregistry", v)
	case "serve":
		if err := serve(); err != nil {
			fmt.Fprintln(os.Stderr, "oci-registry:", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "oci-registry: unknown command %q; expected serve or version\n", os.Args[1])
		os.Exit(2)
	}
}

// The go-containerregistry version this binary was built with (go.mod's pin).
func ggcrVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("no build info in the binary")
	}
	for _, dep := range info.Deps {
		if dep.Path == ggcr {
			return dep.Version, nil
		}
	}
	return "", fmt.Errorf("%s is not among the build's dependencies", ggcr)
}

// Reads "<user>:<password>" from the first line of stdin.
func readCredentials() (user, password string, err error) {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", "", fmt.Errorf("reading \"<user>:<password>\" from stdin: %w", err)
	}
	user, password, found := strings.Cut(strings.TrimRight(line, "\r\n"), ":")
	if !found || user == "" || password == "" {
		return "", "", errors.New("stdin must start with one line \"<user>:<password>\", both non-empty")
	}
	return user, password, nil
}

// Basic auth in front of the registry: a request without the right user and password gets 401 with a
// Basic challenge, as a registry with htpasswd auth answers.
func withBasicAuth(user, password string, next http.Handler) http.Handler {
	wantUser := sha256.Sum256([]byte(user))
	wantPassword := sha256.Sum256([]byte(password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		gotUser := sha256.Sum256([]byte(u))
		gotPassword := sha256.Sum256([]byte(p))
		userOK := subtle.ConstantTimeCompare(gotUser[:], wantUser[:]) == 1
		passwordOK := subtle.ConstantTimeCompare(gotPassword[:], wantPassword[:]) == 1
		if !ok || !userOK || !passwordOK {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf("Basic realm=%q", realm))
			w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// A referrers list, as the registry answers GET /v2/<name>/referrers/<digest>.
type referrersIndex struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Manifests     []json.RawMessage `json:"manifests"`
}

// The fields of a referrer manifest that decide its artifactType.
type referrerManifest struct {
	ArtifactType string `json:"artifactType"`
	Config       struct {
		MediaType string `json:"mediaType"`
	} `json:"config"`
}

// Rewrites each descriptor of a referrers list to the spec's artifactType (see the file comment),
// reading each referrer manifest from the same registry.
func withSpecArtifactTypes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		if r.Method != http.MethodGet || len(parts) < 4 || parts[0] != "v2" || parts[len(parts)-2] != "referrers" {
			next.ServeHTTP(w, r)
			return
		}
		repo := strings.Join(parts[1:len(parts)-2], "/")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if rec.Code == http.StatusOK {
			fixed, err := specArtifactTypes(next, repo, body)
			if err != nil {
				http.Error(w, "oci-registry: "+err.Error(), http.StatusInternalServerError)
				return
			}
			body = fixed
		}
		for key, values := range rec.Header() {
			w.Header()[key] = values
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func specArtifactTypes(registryHandler http.Handler, repo string, body []byte) ([]byte, error) {
	var index referrersIndex
	if err := json.Unmarshal(body, &index); err != nil {
		return nil, fmt.Errorf("the referrers list is not an image index: %w", err)
	}
	for i, raw := range index.Manifests {
		var descriptor map[string]any
		if err := json.Unmarshal(raw, &descriptor); err != nil {
			return nil, fmt.Errorf("referrers list entry %d: %w", i, err)
		}
		digest, _ := descriptor["digest"].(string)
		req := httptest.NewRequest(http.MethodGet, "/v2/"+repo+"/manifests/"+digest, nil)
		rec := httptest.NewRecorder()
		registryHandler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("referrer %s: GET manifest answered %d", digest, rec.Code)
		}
		var manifest referrerManifest
		if err := json.Unmarshal(rec.Body.Bytes(), &manifest); err != nil {
			return nil, fmt.Errorf("referrer %s: manifest is not JSON: %w", digest, err)
		}
		switch {
		case manifest.ArtifactType != "":
			descriptor["artifactType"] = manifest.ArtifactType
		case manifest.Config.MediaType != "":
			descriptor["artifactType"] = manifest.Config.MediaType
		default:
			delete(descriptor, "artifactType")
		}
		fixed, err := json.Marshal(descriptor)
		if err != nil {
			return nil, err
		}
		index.Manifests[i] = fixed
	}
	return json.Marshal(index)
}

func serve() error {
	user, password, err := readCredentials()
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	handler := registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", log.LstdFlags)))
	fmt.Printf("listening on %s\n", listener.Addr().String())
	return http.Serve(listener, withBasicAuth(user, password, withSpecArtifactTypes(handler)))
}
