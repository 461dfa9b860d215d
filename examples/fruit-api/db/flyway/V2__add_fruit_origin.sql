-- The same change as ../migrations/20250201000000_add_fruit_origin.sql (dbmate, the example's default tool), for Flyway.
-- Expand step: a nullable column with no default rewrite. The previous app version never names it
-- (it selects columns by name and inserts without it), so old and new versions run side by side
-- on this schema during a blue/green deployment. A later contract step may tighten it once no
-- running version writes rows without an origin.

ALTER TABLE fruits ADD COLUMN origin text CHECK (origin IS NULL OR char_length(origin) BETWEEN 1 AND 100);

UPDATE fruits SET origin = 'New Zealand' WHERE name = 'Kiwi' AND origin IS NULL;
