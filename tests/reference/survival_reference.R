# Independent reference values for tests/test_survival.py, computed with R's survival
# package (and cmprsk, if installed) from the duration files that
# tests/reference/make_survival_reference.sh writes. Run that script, not this one.
# Output: long CSV (dataset, quantity, curve, time, value).
suppressPackageStartupMessages(library(survival))
has_cmprsk <- requireNamespace("cmprsk", quietly = TRUE)
args <- commandArgs(trailingOnly = TRUE)
indir <- args[1]; outfile <- args[2]
grid <- c(1, 2, 3, 4, 5, 6) * 365.25 / 12
rows <- list()
add <- function(dataset, quantity, curve, time, value) {
  if (length(value) == 0) return(invisible(NULL))
  if (length(time) != length(value)) time <- rep(NA, length(value))
  rows[[length(rows) + 1]] <<- data.frame(dataset = dataset, quantity = quantity, curve = curve,
                                           time = time, value = value)
}
for (f in sort(list.files(indir, pattern = "\\.csv$", full.names = TRUE))) {
  dataset <- sub("\\.csv$", "", basename(f))
  d <- read.csv(f, colClasses = c(triage = "character", opleiding = "character"))
  d$event <- as.integer(d$status == 1)
  curves <- list(all = rep(TRUE, nrow(d)))
  for (g in c("triage", "opleiding")) for (lev in sort(unique(d[[g]]))) curves[[paste0(g, "=", lev)]] <- d[[g]] == lev
  for (cn in names(curves)) {
    s <- d[curves[[cn]], ]
    if (nrow(s) == 0) next
    fit <- survfit(Surv(time, event) ~ 1, data = s, conf.type = "log-log")
    sm <- summary(fit, times = grid, extend = TRUE)
    add(dataset, "km_surv", cn, sm$time, sm$surv)
    add(dataset, "km_se", cn, sm$time, sm$std.err)
    add(dataset, "km_lower", cn, sm$time, sm$lower)
    add(dataset, "km_upper", cn, sm$time, sm$upper)
    add(dataset, "n_risk", cn, sm$time, sm$n.risk)
    # Aalen-Johansen: status as a factor (censored first)
    s$state <- factor(s$status, levels = c(0, 1, 2), labels = c("censor", "outcome", "exit"))
    aj <- survfit(Surv(time, state) ~ 1, data = s)
    sa <- summary(aj, times = grid, extend = TRUE)
    col <- which(aj$states == "outcome")
    add(dataset, "aj_cif", cn, sa$time, sa$pstate[, col])
    add(dataset, "aj_se", cn, sa$time, sa$std.err[, col])
    if (has_cmprsk && any(s$status == 1)) {
      ci <- cmprsk::cuminc(s$time, s$status, cencode = 0)
      tp <- cmprsk::timepoints(ci, grid)
      key <- grep(" 1$", rownames(tp$est))
      add(dataset, "cuminc_var", cn, grid, as.numeric(tp$var[key, ]))
      add(dataset, "cuminc_est", cn, grid, as.numeric(tp$est[key, ]))
    }
  }
  for (g in c("triage", "opleiding")) {
    if (length(unique(d[[g]])) < 2) next
    sd <- survdiff(Surv(time, event) ~ d[[g]], data = d)
    add(dataset, "logrank_chisq", g, NA, sd$chisq)
    df <- sum(sd$exp > 0) - 1  # survdiff's own degrees of freedom (levels with expected events - 1)
    add(dataset, "logrank_df", g, NA, df)
    add(dataset, "logrank_p", g, NA, pchisq(sd$chisq, df, lower.tail = FALSE))
  }
  m <- d[d$triage != "geen", ]
  m$triage <- relevel(factor(m$triage), ref = "2")
  m$opleiding <- relevel(factor(m$opleiding), ref = "laag")
  cx <- coxph(Surv(time, event) ~ triage + opleiding, data = m, ties = "breslow")
  sc <- summary(cx)$conf.int
  for (term in rownames(sc)) {
    name <- sub("^(triage|opleiding)(.*)$", "\\1[\\2]", term)
    add(dataset, "cox_hr", name, NA, sc[term, "exp(coef)"])
    add(dataset, "cox_lower", name, NA, sc[term, "lower .95"])
    add(dataset, "cox_upper", name, NA, sc[term, "upper .95"])
    add(dataset, "cox_p", name, NA, summary(cx)$coefficients[term, "Pr(>|z|)"])
  }
}
out <- do.call(rbind, rows)
write.csv(out, outfile, row.names = FALSE)
