/*
 * Quoting input in messages: whatever a user typed, a commands file held
 * or an option said reaches the terminal only as visible characters.
 */
#ifndef FD_ESCAPE_H
#define FD_ESCAPE_H

/*
 * s with every byte a terminal could act on made visible: C0 controls as
 * \t, \n, \r, \v, \f, \e or \xNN, DEL, C1 controls (U+0080..U+009F) and
 * bytes that are not well-formed UTF-8 as \xNN.  Backslashes are left
 * alone, so escaping twice changes nothing.  Caller frees.
 */
char	*escape_str(const char *s);
/* Length of the well-formed UTF-8 sequence at s that is not a control, or 0. */
int	 escape_utf8_len(const unsigned char *s);

#endif
