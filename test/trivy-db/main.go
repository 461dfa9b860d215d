// Level 4 helper (a fixture generator, not a test): writes a tiny trivy vulnerability DB
// (db/trivy.db + db/metadata.json) into the cache dir given as the only argument, with
// advisories for npm packages named in test/trivy-db/lockfile/package-lock.json.
// Layout taken from trivy-db's own ghsa source: data-source "npm::<source>", advisory-detail,
// vulnerability-detail, vulnerability, vulnerability-id; then SaveAdvisoryDetails moves them into the
// "npm::<source>" bucket as trivy reads it.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	"github.com/aquasecurity/trivy-db/pkg/types"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/vulnerability"
	bolt "go.etcd.io/bbolt"
)

const sourceName = "GitHub Security Advisory npm"

var bucket = "npm::" + sourceName

type fixture struct {
	id, pkg    string
	vulnerable []string
	patched    []string
	severity   types.Severity
	title      string
}

// The advisories: one HIGH with a fix, one MEDIUM without a fix.
var fixtures = []fixture{
	{id: "CVE-2099-0001", pkg: "left-pad", vulnerable: []string{"<1.3.0"}, patched: []string{"1.3.0"},
		severity: types.SeverityHigh, title: "left-pad: fixture vulnerability with a fix"},
	{id: "CVE-2099-0002", pkg: "is-number", vulnerable: []string{">=0.0.1"}, patched: nil,
		severity: types.SeverityMedium, title: "is-number: fixture vulnerability without a fix"},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . <trivy cache dir>  (writes <dir>/db/trivy.db and metadata.json)")
		os.Exit(2)
	}
	if err := build(filepath.Join(os.Args[1], "db")); err != nil {
		fmt.Fprintln(os.Stderr, "trivy-db fixture:", err)
		os.Exit(1)
	}
}

func build(dbDir string) error {
	if err := os.MkdirAll(dbDir, 0o755); err != nil {
		return err
	}
	_ = os.Remove(db.Path(dbDir))
	if err := db.Init(dbDir); err != nil {
		return fmt.Errorf("init %s: %w", dbDir, err)
	}
	dbc := db.Config{}
	err := dbc.BatchUpdate(func(tx *bolt.Tx) error {
		if err := dbc.PutDataSource(tx, bucket, types.DataSource{ID: vulnerability.GHSA, Name: sourceName,
			URL: "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm"}); err != nil {
			return err
		}
		for _, f := range fixtures {
			adv := types.Advisory{VulnerableVersions: f.vulnerable, PatchedVersions: f.patched}
			if err := dbc.PutAdvisoryDetail(tx, f.id, f.pkg, []string{bucket}, adv); err != nil {
				return err
			}
			if err := dbc.PutVulnerabilityDetail(tx, f.id, vulnerability.GHSA, types.VulnerabilityDetail{
				ID: f.id, Severity: f.severity, Title: f.title}); err != nil {
				return err
			}
			// The merged "vulnerability" bucket trivy reads at scan time (trivy-db's build does this merge).
			if err := dbc.PutVulnerability(tx, f.id, types.Vulnerability{Title: f.title, Severity: f.severity.String(),
				VendorSeverity: types.VendorSeverity{vulnerability.GHSA: f.severity}}); err != nil {
				return err
			}
			if err := dbc.PutVulnerabilityID(tx, f.id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range fixtures {
		if err := dbc.BatchUpdate(func(tx *bolt.Tx) error { return dbc.SaveAdvisoryDetails(tx, f.id) }); err != nil {
			return err
		}
	}
	if err := db.Close(); err != nil {
		return err
	}
	now := time.Now().UTC()
	return metadata.NewClient(dbDir).Update(metadata.Metadata{Version: db.SchemaVersion,
		NextUpdate: now.AddDate(10, 0, 0), UpdatedAt: now})
}
