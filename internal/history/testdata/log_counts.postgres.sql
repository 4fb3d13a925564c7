LOCK TABLE webhook_logs IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE log_counts (
	workspace_id text NOT NULL,
	webhook_id text NOT NULL,
	direction text NOT NULL,
	outcome text NOT NULL,
	event_type text NOT NULL,
	hour bigint NOT NULL,
	n bigint NOT NULL
);

CREATE INDEX log_counts_workspace_hour ON log_counts (workspace_id, hour);

INSERT INTO log_counts
	SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, COALESCE((SELECT type FROM events WHERE id = l.event_id), ''), floor(extract(epoch FROM l.occurred_at) / 3600)::bigint, COUNT(*)
	FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6;

LOCK TABLE webhook_logs IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE log_counts_daily (
	workspace_id text NOT NULL,
	webhook_id text NOT NULL,
	direction text NOT NULL,
	outcome text NOT NULL,
	event_type text NOT NULL,
	day bigint NOT NULL,
	n bigint NOT NULL
);

CREATE INDEX log_counts_daily_workspace_day ON log_counts_daily (workspace_id, day);

INSERT INTO log_counts_daily
	SELECT l.workspace_id, l.webhook_id, l.direction, l.outcome, COALESCE((SELECT type FROM events WHERE id = l.event_id), ''), floor(extract(epoch FROM l.occurred_at) / 86400)::bigint, COUNT(*)
	FROM webhook_logs l GROUP BY 1, 2, 3, 4, 5, 6;

-- log_counts_insert
CREATE OR REPLACE FUNCTION log_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	WITH hourly AS (
		INSERT INTO log_counts
		SELECT r.workspace_id, r.webhook_id, r.direction, r.outcome, COALESCE(e.type, ''), floor(extract(epoch FROM r.occurred_at) / 3600)::bigint, count(*)
		FROM new_rows r LEFT JOIN events e ON e.id = r.event_id
		GROUP BY 1, 2, 3, 4, 5, 6
		RETURNING *
	)
	INSERT INTO log_counts_daily
	SELECT workspace_id, webhook_id, direction, outcome, event_type, floor(hour / 24.0)::bigint, sum(n)
	FROM hourly GROUP BY 1, 2, 3, 4, 5, 6;
	RETURN NULL;
END
$$;

-- log_counts_insert
CREATE TRIGGER log_counts_insert AFTER INSERT ON webhook_logs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_counts_insert();

-- log_counts_delete
CREATE OR REPLACE FUNCTION log_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	WITH hourly AS (
		INSERT INTO log_counts
		SELECT r.workspace_id, r.webhook_id, r.direction, r.outcome, COALESCE(e.type, ''), floor(extract(epoch FROM r.occurred_at) / 3600)::bigint, -count(*)
		FROM old_rows r LEFT JOIN events e ON e.id = r.event_id
		GROUP BY 1, 2, 3, 4, 5, 6
		RETURNING *
	)
	INSERT INTO log_counts_daily
	SELECT workspace_id, webhook_id, direction, outcome, event_type, floor(hour / 24.0)::bigint, sum(n)
	FROM hourly GROUP BY 1, 2, 3, 4, 5, 6;
	RETURN NULL;
END
$$;

-- log_counts_delete
CREATE TRIGGER log_counts_delete AFTER DELETE ON webhook_logs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION log_counts_delete();

-- log_counts_update
CREATE OR REPLACE FUNCTION log_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO log_counts VALUES (OLD.workspace_id, OLD.webhook_id, OLD.direction, OLD.outcome, COALESCE((SELECT type FROM events WHERE id = OLD.event_id), ''), floor(extract(epoch FROM OLD.occurred_at) / 3600)::bigint, -1);
	INSERT INTO log_counts_daily VALUES (OLD.workspace_id, OLD.webhook_id, OLD.direction, OLD.outcome, COALESCE((SELECT type FROM events WHERE id = OLD.event_id), ''), floor(extract(epoch FROM OLD.occurred_at) / 86400)::bigint, -1);
	INSERT INTO log_counts VALUES (NEW.workspace_id, NEW.webhook_id, NEW.direction, NEW.outcome, COALESCE((SELECT type FROM events WHERE id = NEW.event_id), ''), floor(extract(epoch FROM NEW.occurred_at) / 3600)::bigint, 1);
	INSERT INTO log_counts_daily VALUES (NEW.workspace_id, NEW.webhook_id, NEW.direction, NEW.outcome, COALESCE((SELECT type FROM events WHERE id = NEW.event_id), ''), floor(extract(epoch FROM NEW.occurred_at) / 86400)::bigint, 1);
	RETURN NULL;
END
$$;

-- log_counts_update
CREATE TRIGGER log_counts_update AFTER UPDATE OF workspace_id, webhook_id, direction, outcome, occurred_at ON webhook_logs FOR EACH ROW EXECUTE FUNCTION log_counts_update();

-- index log_counts_hour
CREATE INDEX IF NOT EXISTS log_counts_hour ON log_counts (hour);

-- index log_counts_daily_day
CREATE INDEX IF NOT EXISTS log_counts_daily_day ON log_counts_daily (day);

-- log_feed_notify
CREATE OR REPLACE FUNCTION log_feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DECLARE payload text;
	BEGIN
	FOR payload IN
		SELECT string_agg(r.id || ',' || r.workspace_id || ',' || r.webhook_id || ',' || r.direction, ';' ORDER BY r.n)
		FROM (SELECT i.*, row_number() OVER () - 1 AS n FROM new_rows i) r
		GROUP BY r.n / 64 ORDER BY r.n / 64
	LOOP
		PERFORM pg_notify('wexio', 'db logs ' || payload);
	END LOOP;
	END;
	RETURN NULL;
END
$$;

-- log_feed_notify
CREATE TRIGGER log_feed_notify AFTER INSERT ON webhook_logs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION log_feed_notify();

