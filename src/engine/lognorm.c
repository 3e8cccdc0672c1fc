/*
 * Lognormal latency: a dependency is described by its median and p99, and
 * the caller needs the chance of a timeout and the mean wait capped by it.
 */
#include <math.h>

#include "engine/prim.h"

double
norm_cdf(double x)
{
	return (0.5 * erfc(-x / sqrt(2)));
}

/* Acklam's rational approximation, refined by one Newton step. */
double
norm_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01,
	    2.209460984245205e+02, -2.759285104469687e+02,
	    1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
	    1.615858368580409e+02, -1.556989798598866e+02,
	    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
	    -3.223964580411365e-01, -2.400758277161838e+00,
	    -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
	    3.224671290700398e-01, 2.445134137142996e+00,
	    3.754408661907416e+00 };
	double	q, r, x, e;

	if (p <= 0)
		return (-INFINITY);
	if (p >= 1)
		return (INFINITY);
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) /
		    ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1);
	} else if (p > 1 - 0.02425) {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) /
		    ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1);
	} else {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q /
		    (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1);
	}
	e = norm_cdf(x) - p;
	x -= e * 2.5066282746310002 * exp(x * x / 2);
	return (x);
}

void
lognorm_from_p50_p99(struct lognorm *l, double p50, double p99)
{
	if (p50 <= 0)
		p50 = 1e-3;
	if (p99 < p50)
		p99 = p50;
	l->mu = log(p50);
	l->sigma = (log(p99) - l->mu) / 2.326347874040841;
}

double
lognorm_cdf(const struct lognorm *l, double x)
{
	if (x <= 0)
		return (0);
	if (l->sigma <= 1e-12)
		return (x >= exp(l->mu) ? 1 : 0);
	return (norm_cdf((log(x) - l->mu) / l->sigma));
}

double
lognorm_quantile(const struct lognorm *l, double q)
{
	return (exp(l->mu + l->sigma * norm_quantile(q)));
}

double
lognorm_mean_below(const struct lognorm *l, double t)
{
	double	m = exp(l->mu);
	double	p, part;

	if (l->sigma <= 1e-12)
		return (m < t ? m : t);
	p = lognorm_cdf(l, t);
	if (p <= 1e-12)
		return (t);
	part = exp(l->mu + l->sigma * l->sigma / 2) *
	    norm_cdf((log(t) - l->mu - l->sigma * l->sigma) / l->sigma);
	return (part / p);
}

double
lognorm_capped_mean(const struct lognorm *l, double t)
{
	double	p = lognorm_cdf(l, t);

	return (p * lognorm_mean_below(l, t) + (1 - p) * t);
}
