/*
 * Scoring a session and recording it in the store as it goes: shared by
 * the headless runner and the console.  The game never waits on the
 * store and never loses a session to it: what cannot be written is saved
 * as JSON and the caller is told where.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "script/incident.h"
#include "session/record.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/proc.h"
#include "util/xmalloc.h"

void
record_score(const struct session *s, struct score *sc)
{
	struct score_input	in = { 0 };

	in.tl = &s->g.tl;
	in.t0_ms = s->g.ph.t0;
	in.sev_scale = s->g.inc.sev_scale;
	in.db = &s->g.inc.db;
	in.pm = &s->pm;
	score_compute(&in, sc);
}

char *
record_score_json(const struct session *s, const struct score *sc)
{
	struct buf	b;

	buf_init(&b);
	score_json(sc, s->g.inc.sev_scale, &b);
	return (buf_steal(&b));
}

/* Write a batch once this many events wait, or ... */
#define RECORD_BATCH_EVENTS	1024
/* ... once this much sim time and wall time have passed. */
#define RECORD_BATCH_SIM_MS	10000
#define RECORD_BATCH_WALL_MS	200
/* How long a batch waits for another writer's lock before it is put off. */
#define RECORD_BATCH_WAIT_MS	100

/* db_path, or the default path with its directory made on the way. */
static struct store *
open_store(const char *db_path, char **cause)
{
	struct store	*st;
	char		*path = NULL;

	if (db_path == NULL && (path = store_default_path(cause)) == NULL)
		return (NULL);
	st = store_open(db_path != NULL ? db_path : path, db_path == NULL,
	    cause);
	free(path);
	return (st);
}

static long
wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* A name no other session has: 128 random bits. */
static void
make_uid(char *uid, size_t len)
{
	unsigned char	r[16];
	size_t		i;

	if (getentropy(r, sizeof r) != 0) {
		uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32 ^
		    (uint64_t)wall_ms();

		for (i = 0; i < sizeof r; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			r[i] = (unsigned char)(x >> 56);
		}
	}
	for (i = 0; i < sizeof r && 2 * i + 2 < len; i++)
		snprintf(uid + 2 * i, 3, "%02x", r[i]);
}

static void
fail(struct recording *rec, char *cause)
{
	rec->failed = 1;
	if (rec->cause == NULL)
		rec->cause = cause;
	else
		free(cause);
}

/* The timeline's events from..n as the store takes them (borrowed). */
static struct store_event *
events_from(const struct session *s, int from)
{
	struct store_event	*ev;
	int			 i, n = s->g.tl.n - from;

	ev = xcalloc(n > 0 ? (size_t)n : 1, sizeof *ev);
	for (i = 0; i < n; i++) {
		const struct event *e = &s->g.tl.v[from + i];

		ev[i].t_ms = e->t_ms;
		ev[i].kind = ev_kind_name(e->kind);
		ev[i].actor = e->actor;
		ev[i].text = e->text;
		ev[i].arg = e->arg;
		ev[i].val = e->val;
		ev[i].detail = e->detail;
		ev[i].result = e->result;
	}
	return (ev);
}

void
record_begin(struct recording *rec, struct session *s, const char *db_path,
    const char *mode, const char *player)
{
	struct store_session	 ss;
	char			*cause = NULL, *host, *start;

	record_init(rec, db_path, mode, player);
	rec->failed = 0;
	if ((rec->st = open_store(db_path, &cause)) == NULL) {
		fail(rec, cause);
		return;
	}
	host = proc_host();
	start = proc_start((int64_t)getpid());
	memset(&ss, 0, sizeof ss);
	ss.player = player;
	ss.incident = s->g.inc.id;
	ss.seed = s->g.seed;
	ss.engine_version = ENGINE_VERSION;
	ss.api_version = FD_API_VERSION;
	ss.mode = mode;
	ss.started_at = rec->started_at;
	ss.source = s->path;
	ss.parent_id = s->parent_id;
	ss.branch_ms = s->parent_id > 0 ? s->branch_ms : -1;
	ss.uid = rec->uid;
	ss.pid = (int64_t)getpid();
	ss.host = host;
	ss.proc_start = start;
	if (store_session_begin(rec->st, &ss, &rec->id, &cause) != 0) {
		rec->id = 0;
		fail(rec, cause);
	}
	free(host);
	free(start);
}

static void
batch_fill(struct recording *rec, const struct session *s,
    struct store_batch *b)
{
	memset(b, 0, sizeof *b);
	b->ev = events_from(s, rec->nev);
	b->nev = (size_t)(s->g.tl.n - rec->nev);
	b->every_ms = SESSION_CHECK_MS;
	b->hashes = s->hashes + rec->nhash;
	b->nhashes = s->nhashes - rec->nhash;
	b->sim_ms = session_now_ms(s);
}

void
record_tick(struct recording *rec, struct session *s)
{
	struct store_batch	 b;
	char			*cause = NULL;

	if (rec->failed || rec->id <= 0)
		return;
	if (s->g.tl.n - rec->nev < RECORD_BATCH_EVENTS) {
		if (session_now_ms(s) - rec->last_sim < RECORD_BATCH_SIM_MS)
			return;
		if (wall_ms() - rec->last_wall < RECORD_BATCH_WALL_MS)
			return;
	}
	/* Backing off from another writer's lock. */
	if (rec->busy > 0 && wall_ms() < rec->retry_at)
		return;
	batch_fill(rec, s, &b);
	/*
	 * The game must not stall on another writer: a batch waits a
	 * moment, and a lock only puts it off (the end waits in full).
	 */
	store_wait(rec->st, RECORD_BATCH_WAIT_MS);
	if (store_session_batch(rec->st, rec->id, &b, &cause) != 0) {
		if (store_busy(rec->st)) {
			free(cause);
			rec->busy++;
			rec->retry_at = wall_ms() + 50 * (rec->busy < 20 ?
			    rec->busy : 20);
		} else
			fail(rec, cause);
	} else {
		rec->busy = 0;
		rec->nev = s->g.tl.n;
		rec->nhash = s->nhashes;
	}
	free((void *)b.ev);
	store_wait(rec->st, -1);
	rec->last_sim = session_now_ms(s);
	rec->last_wall = wall_ms();
}

/* The score row's fields; *json and hash are the caller's to keep. */
static void
fill_result(const struct session *s, const struct score *sc,
    struct store_result *sr, char *hash, size_t hashlen, char **json)
{
	int	i;

	memset(sr, 0, sizeof *sr);
	sr->outcome = s->g.over ? s->g.outcome : "timeout";
	sr->ended_at = (int64_t)time(NULL);
	sr->sim_ms = game_now_ms(&s->g);
	for (i = 0; i < 4; i++)
		sr->phase_ms[i] = sc->phase_ms[i];
	sr->score_total = sc->total;
	sr->grade = sc->grade;
	sr->score_version = SCORE_VERSION;
	*json = record_score_json(s, sc);
	sr->score_json = *json;
	sr->budget_burned_pct = s->g.w.budget_burned_pct;
	snprintf(hash, hashlen, "%016llx",
	    (unsigned long long)game_state_hash(&s->g));
	sr->state_hash = hash;
	sr->every_ms = SESSION_CHECK_MS;
	sr->hashes = s->hashes;
	sr->nhashes = s->nhashes;
}

static void
json_ms(struct buf *b, const char *key, long ms)
{
	buf_printf(b, ",\"%s\":", key);
	if (ms < 0)
		buf_puts(b, "null");
	else
		buf_printf(b, "%ld", ms);
}

static void
json_str_or_null(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_puts(b, "null");
	else
		buf_json_str(b, s);
}

char *
record_export(const struct recording *rec, const struct session *s,
    const struct score *sc)
{
	struct buf	 b;
	char		*sj, hash[24];
	size_t		 i;
	int		 k;

	buf_init(&b);
	buf_puts(&b, "{\"format\":\"firedrill-session\",\"version\":1,"
	    "\"session\":{\"uid\":");
	buf_json_str(&b, rec->uid);
	buf_puts(&b, ",\"player\":");
	buf_json_str(&b, rec->player);
	buf_puts(&b, ",\"incident\":");
	buf_json_str(&b, s->g.inc.id);
	/* A string: a 64-bit seed does not survive a JSON number. */
	buf_printf(&b, ",\"seed\":\"%llu\",\"engine_version\":",
	    (unsigned long long)s->g.seed);
	buf_json_str(&b, ENGINE_VERSION);
	buf_printf(&b, ",\"api_version\":%d,\"mode\":", FD_API_VERSION);
	buf_json_str(&b, rec->mode);
	buf_printf(&b, ",\"started_at\":%lld,\"ended_at\":%lld,\"outcome\":",
	    (long long)rec->started_at, (long long)time(NULL));
	buf_json_str(&b, s->g.over ? s->g.outcome : "timeout");
	snprintf(hash, sizeof hash, "%016llx",
	    (unsigned long long)game_state_hash(&s->g));
	buf_printf(&b, ",\"sim_ms\":%ld,\"state_hash\":\"%s\",\"source\":",
	    game_now_ms(&s->g), hash);
	json_str_or_null(&b, s->path);
	if (s->parent_id > 0)
		buf_printf(&b, ",\"parent_id\":%lld,\"branch_ms\":%ld",
		    (long long)s->parent_id, s->branch_ms);
	else
		buf_puts(&b, ",\"parent_id\":null,\"branch_ms\":null");
	buf_puts(&b, "},\"events\":[");
	for (k = 0; k < s->g.tl.n; k++) {
		const struct event *e = &s->g.tl.v[k];

		buf_printf(&b, "%s{\"t_ms\":%ld,\"kind\":\"%s\",\"actor\":",
		    k > 0 ? "," : "", e->t_ms, ev_kind_name(e->kind));
		json_str_or_null(&b, e->actor);
		buf_puts(&b, ",\"text\":");
		json_str_or_null(&b, e->text);
		/* %.17g: the value comes back bit for bit. */
		buf_printf(&b, ",\"arg\":%d,\"val\":%.17g,\"detail\":", e->arg,
		    isfinite(e->val) ? e->val : 0.0);
		json_str_or_null(&b, e->detail);
		buf_puts(&b, ",\"result\":");
		json_str_or_null(&b, e->result);
		buf_putc(&b, '}');
	}
	buf_printf(&b, "],\"checkpoints\":{\"every_ms\":%d,\"hashes\":\"",
	    SESSION_CHECK_MS);
	for (i = 0; i < s->nhashes; i++)
		buf_printf(&b, "%016llx", (unsigned long long)s->hashes[i]);
	buf_printf(&b, "\"},\"score\":{\"version\":%d,\"total\":%d,"
	    "\"grade\":", SCORE_VERSION, sc->total);
	buf_json_str(&b, sc->grade);
	json_ms(&b, "detect_ms", sc->phase_ms[0]);
	json_ms(&b, "triage_ms", sc->phase_ms[1]);
	json_ms(&b, "mitigate_ms", sc->phase_ms[2]);
	json_ms(&b, "fix_ms", sc->phase_ms[3]);
	buf_printf(&b, ",\"budget_burned_pct\":%.17g,\"breakdown\":",
	    s->g.w.budget_burned_pct);
	sj = record_score_json(s, sc);
	buf_puts(&b, sj);
	free(sj);
	buf_puts(&b, "},\"postmortem\":[");
	for (k = 0; k < s->pm.n; k++) {
		const struct pm_row *r = &s->pm.v[k];

		buf_puts(&b, k > 0 ? ",{\"part\":" : "{\"part\":");
		json_str_or_null(&b, r->part);
		buf_puts(&b, ",\"key\":");
		json_str_or_null(&b, r->key);
		buf_puts(&b, ",\"text\":");
		json_str_or_null(&b, r->text);
		buf_puts(&b, ",\"owner\":");
		json_str_or_null(&b, r->owner);
		buf_puts(&b, ",\"deadline\":");
		json_str_or_null(&b, r->deadline);
		buf_putc(&b, '}');
	}
	buf_puts(&b, "]}\n");
	return (buf_steal(&b));
}

/* Write text to a new file at path; -1 with cause, nothing left behind. */
static int
write_new(const char *path, const char *text, char **cause)
{
	size_t	len = strlen(text), off = 0;
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)) < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return (-1);
	}
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	if (off < len || fsync(fd) != 0 || close(fd) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (off < len)
			close(fd);
		unlink(path);
		return (-1);
	}
	return (0);
}

/* Make dir and its parents (mode 0700); 0 when it is there. */
static int
make_dirs(const char *dir)
{
	char	*copy = xstrdup(dir), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			free(copy);
			return (-1);
		}
		*p = '/';
	}
	free(copy);
	return (mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0);
}

int
record_save_json(struct recording *rec, struct session *s,
    const struct score *sc, const char *path, char **cause)
{
	const char	*env;
	char		*json, *dirs[3], *name, *file, *why = NULL, *slash;
	char		 stamp[32];
	struct tm	 tm;
	struct stat	 sb;
	time_t		 now = time(NULL);
	int		 i, n = 0, rc = -1;

	json = record_export(rec, s, sc);
	if (path != NULL) {
		if ((rc = write_new(path, json, cause)) == 0) {
			free(rec->saved);
			rec->saved = xstrdup(path);
		}
		free(json);
		return (rc);
	}
	/*
	 * Beside the database (a file, or one to be: never in /dev beside
	 * /dev/null), else the state directory, else /tmp.
	 */
	if (rec->db != NULL && *rec->db != '\0' && (stat(rec->db, &sb) != 0 ?
	    errno == ENOENT : S_ISREG(sb.st_mode))) {
		if ((slash = strrchr(rec->db, '/')) == NULL)
			dirs[n++] = xstrdup(".");
		else if (slash == rec->db)
			dirs[n++] = xstrdup("/");
		else
			dirs[n++] = xstrndup(rec->db,
			    (size_t)(slash - rec->db));
	}
	if ((env = getenv("XDG_STATE_HOME")) != NULL && *env == '/')
		dirs[n++] = xasprintf("%s/firedrill/unsaved", env);
	else if ((env = getenv("HOME")) != NULL && *env == '/')
		dirs[n++] = xasprintf("%s/.local/state/firedrill/unsaved", env);
	dirs[n++] = xstrdup("/tmp");
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	name = xasprintf("firedrill-session-%s-%s-%.8s.json", s->g.inc.id,
	    stamp, rec->uid);
	for (i = 0; i < n && rc != 0; i++) {
		/* Only our own directories are made. */
		if (strstr(dirs[i], "/firedrill/unsaved") != NULL)
			(void)make_dirs(dirs[i]);
		file = xasprintf("%s/%s", dirs[i], name);
		free(why);
		why = NULL;
		if ((rc = write_new(file, json, &why)) == 0) {
			free(rec->saved);
			rec->saved = file;
		} else
			free(file);
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(name);
	free(json);
	if (rc != 0)
		*cause = why;
	else
		free(why);
	return (rc);
}

/* The end, at the store as it stands: 0 recorded, -1 with cause. */
static int
end_once(struct recording *rec, struct session *s, const struct score *sc,
    char **cause)
{
	struct store_result	 sr;
	struct store_batch	 b;
	char			*json, hash[24];
	int64_t			 id;
	int			 rc;

	if (rec->st == NULL && (rec->st = open_store(rec->db, cause)) == NULL)
		return (-1);
	if (rec->id > 0 && !rec->failed) {
		batch_fill(rec, s, &b);
		fill_result(s, sc, &sr, hash, sizeof hash, &json);
		rc = store_session_finish(rec->st, rec->id, &b, &sr, cause);
		free((void *)b.ev);
		free(json);
		if (rc == 0)
			s->db_id = rec->id;
		return (rc);
	}
	/* Whole, in one transaction, replacing any part written before. */
	json = record_export(rec, s, sc);
	rc = store_import(rec->st, json, "session", &id, cause);
	free(json);
	if (rc == 0)
		s->db_id = rec->id = id;
	return (rc);
}

static int
end_or_save(struct recording *rec, struct session *s, const struct score *sc,
    char **why)
{
	char	*cause = NULL, *jwhy = NULL;

	if (end_once(rec, s, sc, &cause) == 0) {
		free(rec->cause);
		rec->cause = NULL;
		return (0);
	}
	/*
	 * The part already written must not stay "running" after a normal
	 * exit: mark it interrupted if the store lets us at once (the JSON
	 * import replaces it with the whole session later).
	 */
	if (rec->id > 0 && rec->st != NULL && s->db_id <= 0) {
		char *ignore = NULL;

		store_wait(rec->st, 200);
		if (store_session_interrupt(rec->st, rec->id, &ignore) != 0)
			free(ignore);
		store_wait(rec->st, -1);
	}
	/* From now on only the whole session can be written. */
	rec->failed = 1;
	/* The first failure is the one that explains. */
	if (rec->cause != NULL) {
		free(cause);
		cause = rec->cause;
		rec->cause = NULL;
	}
	if (record_save_json(rec, s, sc, NULL, &jwhy) == 0)
		*why = xasprintf("session not recorded: %s; saved to %s (load"
		    " it with: firedrill import %s)", cause, rec->saved,
		    rec->saved);
	else
		*why = xasprintf("session not recorded: %s; not saved either:"
		    " %s", cause, jwhy);
	free(rec->cause);
	rec->cause = cause;
	free(jwhy);
	return (-1);
}

int
record_end(struct recording *rec, struct session *s, const struct score *sc,
    char **why)
{
	return (end_or_save(rec, s, sc, why));
}

int
record_retry(struct recording *rec, struct session *s, const struct score *sc,
    const char *db_path, char **why)
{
	char	*old = rec->saved;
	int	 rc;

	if (db_path != NULL) {
		store_close(rec->st);
		rec->st = NULL;
		free(rec->db);
		rec->db = xstrdup(db_path);
		rec->failed = 1;
		/* That row is in the other database. */
		rec->id = 0;
	}
	/* This attempt's own failure is what explains it now. */
	free(rec->cause);
	rec->cause = NULL;
	rec->saved = NULL;
	rc = end_or_save(rec, s, sc, why);
	/* Recorded, or saved anew: the older copy is ours to remove. */
	if (old != NULL && (rc == 0 || rec->saved != NULL))
		unlink(old);
	if (old != NULL && rc != 0 && rec->saved == NULL)
		rec->saved = old;
	else
		free(old);
	return (rc);
}

void
record_init(struct recording *rec, const char *db_path, const char *mode,
    const char *player)
{
	memset(rec, 0, sizeof *rec);
	rec->db = db_path != NULL ? xstrdup(db_path) : NULL;
	rec->mode = xstrdup(mode);
	rec->player = xstrdup(player);
	make_uid(rec->uid, sizeof rec->uid);
	rec->started_at = (int64_t)time(NULL);
	rec->last_wall = wall_ms();
	rec->failed = 1;
}

void
record_fini(struct recording *rec)
{
	store_close(rec->st);
	free(rec->db);
	free(rec->mode);
	free(rec->player);
	free(rec->cause);
	free(rec->saved);
	memset(rec, 0, sizeof *rec);
}

int
record_session(struct session *s, const struct score *sc,
    const char *db_path, const char *mode, const char *player,
    char **why)
{
	struct recording	rec;
	int			rc;

	record_init(&rec, db_path, mode, player);
	rc = record_end(&rec, s, sc, why);
	record_fini(&rec);
	return (rc);
}

int
record_postmortem(const struct session *s, const struct score *sc,
    const char *db_path, char **why)
{
	struct store		*st;
	struct store_result	 sr;
	char			*cause = NULL, *json = NULL;
	char			 hash[24];
	int			 rc = -1;

	if (s->db_id <= 0) {
		*why = xstrdup("post-mortem not saved: the session was not"
		    " recorded");
		return (-1);
	}
	if ((st = open_store(db_path, &cause)) == NULL)
		goto out;
	fill_result(s, sc, &sr, hash, sizeof hash, &json);
	if (store_postmortem_put(st, s->db_id, &s->pm, &sr, &cause) == 0)
		rc = 0;
	free(json);
	store_close(st);
out:
	if (rc != 0)
		*why = xasprintf("post-mortem not saved: %s", cause != NULL ?
		    cause : "unknown error");
	free(cause);
	return (rc);
}
