//! Self-contained value rules: SIRET check digits, e-mail and URL shapes, the current year.

/// Whether a SIRET is 14 digits with a valid check: Luhn over the 14 digits, except La Poste's
/// establishments (SIREN 356000000) which use "sum of digits divisible by 5", apart from its
/// head office 35600000000048, which passes Luhn.
pub fn siret_is_valid(siret: &str) -> bool {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if siret.starts_with("356000000") && siret != "35600000000048" {
        let sum: u32 = siret.bytes().map(|b| u32::from(b - b'0')).sum();
        return sum.is_multiple_of(5);
    }
    luhn(siret)
}

/// The Luhn check over a string of ASCII digits.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let digit = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `address` is a well-formed e-mail address (`nom@domaine.fr`).
pub fn email_is_valid(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    local_ok && host_is_valid(domain) && domain.contains('.')
}

/// Whether `host` is a DNS name made of letters, digits and hyphens, with an alphabetic TLD.
fn host_is_valid(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    tld_ok
        && host.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The host of `url` when it is an absolute http(s) URL without blank or control character.
fn url_host(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some(match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() => host,
        _ => authority,
    })
}

/// Whether `url` is an absolute http(s) URL with a host and no blank or control character.
pub fn url_is_valid(url: &str) -> bool {
    url_host(url).is_some_and(|host| host == "localhost" || host_is_valid(host))
}

/// Whether `url` can be the site's own address (`url_base`, `--base-url`): as
/// [`url_is_valid`], or with an IP address as host (an intranet staging server,
/// `http://192.168.1.20/catalogue/`, `http://[fd00::1]:8080/`).
pub fn site_url_is_valid(url: &str) -> bool {
    url_host(url).is_some_and(|host| {
        host == "localhost"
            || host_is_valid(host)
            || host.parse::<std::net::Ipv4Addr>().is_ok()
            || host
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .is_some_and(|h| h.parse::<std::net::Ipv6Addr>().is_ok())
    })
}

/// The current calendar year (UTC), for the upper bound of `label.annee`.
pub fn current_year() -> u16 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    year_of_unix_day((seconds / 86_400) as i64)
}

/// The civil year of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn year_of_unix_day(days: i64) -> u16 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400 + i64::from(month_index >= 10);
    year.clamp(0, i64::from(u16::MAX)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_uses_luhn() {
        assert!(siret_is_valid("44306184100047"));
        assert!(!siret_is_valid("44306184100048"));
        assert!(!siret_is_valid("4430618410004"));
        assert!(!siret_is_valid("443061841000a7"));
        assert!(!siret_is_valid("443 061 841 00047"));
    }

    #[test]
    fn la_poste_establishments_use_the_sum_rule() {
        assert!(siret_is_valid("35600000000048"), "head office passes Luhn");
        assert!(siret_is_valid("35600000049837"), "sum 3+5+6+4+9+8+3+7 = 45");
        assert!(!siret_is_valid("35600000049838"));
        assert!(!luhn("35600000049837"), "this establishment fails Luhn");
    }

    #[test]
    fn emails_and_urls() {
        assert!(email_is_valid("contact@panier-solidaire.example.org"));
        assert!(!email_is_valid("contact@localhost"));
        assert!(!email_is_valid("contact.example.org"));
        assert!(!email_is_valid("a b@example.org"));
        assert!(url_is_valid("https://panier.example.org/a?b=c#d"));
        assert!(url_is_valid("HTTP://example.org:8080"));
        assert!(!url_is_valid("javascript:alert(1)"));
        assert!(!url_is_valid("https://"));
        assert!(!url_is_valid("www.example.org"));
        assert!(!url_is_valid("https://exa mple.org"));
        // A project's web site is on the Internet: no IP address.
        assert!(!url_is_valid("http://192.168.1.20/"));
    }

    #[test]
    fn the_site_address_may_be_an_ip_address() {
        for url in [
            "http://192.168.1.20/catalogue/",
            "http://127.0.0.1:8080",
            "https://[fd00::1]:8443/catalogue/",
            "http://[::1]/",
            "https://catalogue.example.fr/",
            "http://localhost:8000/",
        ] {
            assert!(site_url_is_valid(url), "{url}");
        }
        for url in [
            "http://192.168.1/",
            "http://300.1.1.1/",
            "http://[fd00::zz]/",
            "http://fd00::1/",
            "ftp://192.168.1.20/",
            "http://192.168.1.20 /",
        ] {
            assert!(!site_url_is_valid(url), "{url}");
        }
    }

    #[test]
    fn years_follow_the_calendar() {
        assert_eq!(year_of_unix_day(0), 1970);
        assert_eq!(year_of_unix_day(20_454), 2026); // 2026-01-01
        assert_eq!(year_of_unix_day(20_453), 2025); // 2025-12-31
    }
}
