#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "prog/help.h"

#define HELP_COL	25	/* where the help of an option starts */
#define HELP_WIDTH	79

static const char exit_help[] =
"Exit status: 0 done, 1 too many rejects, 2 usage error, 3 input unreadable\n"
"or damaged, 4 output or resource failure.\n";

static int
hidden(const struct evp_cmd *cmd, int key)
{
	if (cmd->hide & EVP_HIDE_OUTPUT && key == 'o')
		return 1;
	return cmd->hide & EVP_HIDE_FILES &&
	    (key == EVP_OPT_REJECTS || key == EVP_OPT_SUMMARY);
}

/* One option's lines of --help. */
static void
help_opt(const struct evp_opt *o, const struct evp_profile *p)
{
	char left[64];
	int n;

	if (o->key < 0x100)
		n = snprintf(left, sizeof(left), "  -%c, --%s%s%s", o->key,
		    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	else
		n = snprintf(left, sizeof(left), "      --%s%s%s", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
	fputs(left, stdout);
	int col = n;
	if (n >= HELP_COL) {
		putchar('\n');
		col = 0;
	}
	for (const char *l = o->help; *l; ) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		printf("%*s%.*s", HELP_COL - col, "", (int)len, l);
		col = HELP_COL + (int)len;
		if (e == NULL)
			break;
		putchar('\n');
		col = 0;
		l = e + 1;
	}
	const char *d = o->def == 0 ? NULL : *(const char *const *)
	    (const void *)((const char *)p + o->def - 1);
	if (d != NULL) {	/* a profile may leave a default unset */
		int len = (int)strlen(d) + (int)sizeof(" (default )") - 1;
		if (col + len > HELP_WIDTH) {
			printf("\n%*s", HELP_COL, "");
			col = HELP_COL - 1;
		}
		printf("%s(default %s)", col > HELP_COL ? " " : "", d);
	}
	putchar('\n');
}

void
evp_opt_help(const struct evp_run *run, const struct evp_cmd *cmd)
{
	fputs(cmd->usage, stdout);
	if (cmd->opts != NULL && cmd->opts[0].name != NULL) {
		putchar('\n');
		for (const struct evp_opt *o = cmd->opts; o->name; o++)
			help_opt(o, run->profile);
	}
	fputs("Options every program shares:\n", stdout);
	for (const struct evp_opt *o = evp_opt_shared; o->name; o++)
		if (o->help != NULL && !hidden(cmd, o->key))
			help_opt(o, run->profile);
	fputs(exit_help, stdout);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EVP_EXIT_IO);
}

/* One option's line of --print-options. */
static void
print_opt(const struct evp_opt *o, const struct evp_cmd *cmd)
{
	const char *kind = "text", *a = o->arg;

	if (a == NULL)
		kind = "none";
	else if (o->key == EVP_OPT_PROFILE)
		kind = "profile";	/* a built-in's name or a file */
	else if (strchr(a, '|') != NULL)
		kind = "word";
	else if (o->key == 'o' && cmd->hide & EVP_OUTPUT_DIR)
		kind = "dir";
	else if (strcmp(a, "FILE") == 0 || strcmp(a, "FILES") == 0)
		kind = "file";
	else if (strcmp(a, "DIR") == 0)
		kind = "dir";
	char letter = (char)o->key;
	printf("--%s\t-%.*s\t%s\t", o->name, o->key < 0x100, &letter, kind);
	if (a != NULL && strchr(a, '|') != NULL && o->key != EVP_OPT_PROFILE)
		for (const char *c = a; *c; c++)
			putchar(*c == '|' ? ' ' : *c);
	else
		putchar('-');
	putchar('\t');
	for (const char *h = o->help ? o->help : ""; *h; h++)
		putchar(*h == '\n' ? ' ' : *h);
	putchar('\n');
}

/* Every option cmd takes, for scripts/completions. */
void
evp_opt_print(const struct evp_cmd *cmd)
{
	for (const struct evp_opt *o = cmd->opts; o && o->name; o++)
		print_opt(o, cmd);
	for (const struct evp_opt *o = evp_opt_shared; o->name; o++)
		if (o->key != EVP_OPT_PRINT_OPTIONS && !hidden(cmd, o->key))
			print_opt(o, cmd);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : EVP_EXIT_IO);
}
