//! Embedded reference tables of the Hauts-de-France region (communes, EPCI, departments).
//!
//! The tables are the tab-separated files of `data/territoires/` (derived from the COG 2026 /
//! DGCL 2026 extracts by `tools/derive_territoires.py`), included in the binary and parsed once,
//! on first use, into lookup indexes.

mod france;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::fold;

const DEPARTMENTS_TSV: &str = include_str!("../../data/territoires/departements.tsv");
const COMMUNES_TSV: &str = include_str!("../../data/territoires/communes.tsv");
const FORMER_COMMUNES_TSV: &str = include_str!("../../data/territoires/anciennes-communes.tsv");
const ABSORBED_CODES_TSV: &str = include_str!("../../data/territoires/codes-absorbes.tsv");
const EPCI_TSV: &str = include_str!("../../data/territoires/epci.tsv");

/// A department of the region.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Department {
    /// INSEE code ("02", "59", "60", "62", "80").
    pub code: String,
    /// Name ("Pas-de-Calais").
    pub name: String,
    /// Path slug ("pas-de-calais").
    pub slug: String,
}

/// A current commune of the region.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Commune {
    /// INSEE code ("59122").
    pub code: String,
    /// Name ("Cambrai").
    pub name: String,
    /// Department code.
    pub department: String,
    /// SIREN of its EPCI, if any.
    pub epci: Option<String>,
    /// Postal codes serving it.
    pub postal_codes: Vec<String>,
    /// Population (municipal, COG vintage).
    pub population: u32,
}

/// An intercommunality (EPCI) with member communes in the region.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Epci {
    /// SIREN code.
    pub siren: String,
    /// Name ("CA de Cambrai").
    pub name: String,
    /// Kind: "CC", "CA", "CU" or "METRO".
    pub kind: String,
    /// INSEE codes of its member communes in the region.
    pub communes: Vec<String>,
    /// Codes of the departments of its member communes, sorted, without duplicates (an EPCI
    /// may straddle a department border).
    #[serde(skip)]
    pub departments: Vec<String>,
}

/// A delegated or associated commune: its own name and the index of its current commune.
#[derive(Debug)]
struct FormerCommune {
    name: &'static str,
    current: usize,
}

/// The region's reference tables, loaded once from data embedded in the binary.
#[derive(Debug)]
pub struct Territories {
    departments: Vec<Department>,
    /// Current communes in strict code order (looked up by binary search).
    communes: Vec<Commune>,
    /// Delegated or associated commune code -> its name and current commune.
    former: HashMap<&'static str, FormerCommune>,
    /// Absorbed old code -> index of the current commune.
    absorbed: HashMap<&'static str, usize>,
    /// EPCI in strict SIREN order (looked up by binary search).
    epcis: Vec<Epci>,
    /// Postal code -> commune indexes, in code order.
    postal_index: HashMap<&'static str, Vec<usize>>,
    /// Name key (see `name_key`) -> commune indexes, in code order; built on first name lookup,
    /// as folding every name is the costliest part of loading.
    name_index: OnceLock<HashMap<String, Vec<usize>>>,
    /// Data lines that could not be read (always 0 for the shipped tables; checked by tests).
    #[cfg_attr(not(test), allow(dead_code))]
    rejected: usize,
}

impl Territories {
    /// The shared instance (parsed on first use).
    pub fn region() -> &'static Territories {
        static REGION: OnceLock<Territories> = OnceLock::new();
        REGION.get_or_init(Territories::parse)
    }

    /// Parses the embedded tables; malformed lines are skipped and counted, never a panic.
    fn parse() -> Territories {
        let mut rejected = 0;

        let mut departments: Vec<Department> = rows(DEPARTMENTS_TSV)
            .filter_map(|cells| match cells.as_slice() {
                [code, name, slug] => Some(Department {
                    code: code.to_string(),
                    name: name.to_string(),
                    slug: slug.to_string(),
                }),
                _ => {
                    rejected += 1;
                    None
                }
            })
            .collect();
        departments.sort_by(|a, b| a.code.cmp(&b.code));

        // Each commune with its raw postal-code cell, which keys the postal index.
        let mut parsed: Vec<(Commune, &'static str)> = Vec::with_capacity(4000);
        for cells in rows(COMMUNES_TSV) {
            match parse_commune(&cells) {
                Some(row) => parsed.push(row),
                None => rejected += 1,
            }
        }
        parsed.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        let before = parsed.len();
        parsed.dedup_by(|a, b| a.0.code == b.0.code);
        rejected += before - parsed.len();

        let mut postal_index: HashMap<&'static str, Vec<usize>> = HashMap::with_capacity(1024);
        for (index, (_, postal_codes)) in parsed.iter().enumerate() {
            for postal_code in postal_codes.split(',').filter(|p| !p.is_empty()) {
                postal_index.entry(postal_code).or_default().push(index);
            }
        }
        let communes: Vec<Commune> = parsed.into_iter().map(|(commune, _)| commune).collect();
        let position = |code: &str| {
            communes
                .binary_search_by(|c| c.code.as_str().cmp(code))
                .ok()
        };

        let mut former = HashMap::new();
        for cells in rows(FORMER_COMMUNES_TSV) {
            match *cells.as_slice() {
                [code, name, _kind, current] => match position(current) {
                    Some(current) => {
                        former.insert(code, FormerCommune { name, current });
                    }
                    None => rejected += 1,
                },
                _ => rejected += 1,
            }
        }

        let mut absorbed = HashMap::new();
        for cells in rows(ABSORBED_CODES_TSV) {
            match *cells.as_slice() {
                [code, current] => match position(current) {
                    Some(current) => {
                        absorbed.insert(code, current);
                    }
                    None => rejected += 1,
                },
                _ => rejected += 1,
            }
        }

        let department_of = |code: &str| position(code).map(|i| communes[i].department.clone());
        let mut epcis: Vec<Epci> = rows(EPCI_TSV)
            .filter_map(|cells| match cells.as_slice() {
                [siren, name, kind, members] => {
                    let communes = list(members);
                    let mut departments: Vec<String> = communes
                        .iter()
                        .filter_map(|code| department_of(code))
                        .collect();
                    departments.sort();
                    departments.dedup();
                    Some(Epci {
                        siren: siren.to_string(),
                        name: name.to_string(),
                        kind: kind.to_string(),
                        communes,
                        departments,
                    })
                }
                _ => {
                    rejected += 1;
                    None
                }
            })
            .collect();
        epcis.sort_by(|a, b| a.siren.cmp(&b.siren));
        let before = epcis.len();
        epcis.dedup_by(|a, b| a.siren == b.siren);
        rejected += before - epcis.len();

        Territories {
            departments,
            communes,
            former,
            absorbed,
            epcis,
            postal_index,
            name_index: OnceLock::new(),
            rejected,
        }
    }

    /// Index of a current commune by code.
    fn position(&self, code: &str) -> Option<usize> {
        self.communes
            .binary_search_by(|c| c.code.as_str().cmp(code))
            .ok()
    }

    /// The name index, built on first use.
    fn name_index(&self) -> &HashMap<String, Vec<usize>> {
        self.name_index.get_or_init(|| {
            let mut index: HashMap<String, Vec<usize>> =
                HashMap::with_capacity(self.communes.len());
            for (position, commune) in self.communes.iter().enumerate() {
                index
                    .entry(name_key(&commune.name))
                    .or_default()
                    .push(position);
            }
            index
        })
    }

    /// The five departments, in code order.
    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    /// A department of the region by code.
    pub fn department(&self, code: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.code == code)
    }

    /// A department of the region by path slug.
    pub fn department_by_slug(&self, slug: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.slug == slug)
    }

    /// Every current commune of the region, in code order.
    pub fn communes(&self) -> &[Commune] {
        &self.communes
    }

    /// A current commune by INSEE code.
    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.position(code)
            .and_then(|index| self.communes.get(index))
    }

    /// For a delegated or associated commune code: its own name and the current commune it belongs to.
    ///
    /// Some delegated communes share their code with the current commune (the former chief
    /// town of a "commune nouvelle"): check [`Territories::commune`] first.
    pub fn former_commune(&self, code: &str) -> Option<(&str, &Commune)> {
        let former = self.former.get(code)?;
        let current = self.communes.get(former.current)?;
        Some((former.name, current))
    }

    /// For an old INSEE code that vanished in a merger without leaving a delegated or associated
    /// commune (`anciensCodes` of the COG): the current commune that absorbed it.
    pub fn absorbed_into(&self, code: &str) -> Option<&Commune> {
        self.absorbed
            .get(code)
            .and_then(|&index| self.communes.get(index))
    }

    /// An EPCI by SIREN.
    pub fn epci(&self, siren: &str) -> Option<&Epci> {
        self.epcis
            .binary_search_by(|e| e.siren.as_str().cmp(siren))
            .ok()
            .and_then(|index| self.epcis.get(index))
    }

    /// All EPCI with communes in the region, by SIREN.
    pub fn epcis(&self) -> &[Epci] {
        &self.epcis
    }

    /// Current communes served by a postal code (empty when it is not one of the region's).
    pub fn communes_with_postal_code(&self, postal_code: &str) -> Vec<&Commune> {
        self.indexed(self.postal_index.get(postal_code.trim()))
    }

    /// Current communes whose name matches, ignoring case, accents, hyphens and apostrophes.
    ///
    /// "saint omer", "SAINT-OMER" and "St Omer" all find Saint-Omer (and only it).
    pub fn communes_named(&self, name: &str) -> Vec<&Commune> {
        self.indexed(self.name_index().get(&name_key(name)))
    }

    /// The communes at the given indexes (in the order stored, i.e. code order).
    fn indexed(&self, indexes: Option<&Vec<usize>>) -> Vec<&Commune> {
        indexes
            .map(|indexes| {
                indexes
                    .iter()
                    .filter_map(|&index| self.communes.get(index))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Name of any French department by code ("13" -> "Bouches-du-Rhône", "2A", "971"), for
/// `essaimage.territoires`, which may lie outside the region.
pub fn french_department_name(code: &str) -> Option<&'static str> {
    france::department_name(code)
}

/// The data lines of a table (header skipped, blank lines ignored), split on tabs.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('\t').collect())
}

/// A row of communes.tsv (code, name, department, EPCI, postal codes, population), with its
/// raw postal-code cell.
fn parse_commune(cells: &[&'static str]) -> Option<(Commune, &'static str)> {
    match cells {
        [code, name, department, epci, postal_codes, population] => Some((
            Commune {
                code: code.to_string(),
                name: name.to_string(),
                department: department.to_string(),
                epci: non_empty(epci),
                postal_codes: list(postal_codes),
                population: population.parse().ok()?,
            },
            postal_codes,
        )),
        _ => None,
    }
}

/// `None` for an empty cell.
fn non_empty(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

/// A comma-joined list cell.
fn list(cell: &str) -> Vec<String> {
    cell.split(',')
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// Key comparing commune names: folded (accents, case, punctuation), "st"/"ste" read as
/// "saint"/"sainte", then with no separators at all, so hyphens, apostrophes and spaces are
/// interchangeable ("L'Étoile", "l etoile" and "letoile" agree).
fn name_key(name: &str) -> String {
    fold(name)
        .split(' ')
        .map(|word| match word {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn region() -> &'static Territories {
        Territories::region()
    }

    #[test]
    fn every_line_of_the_tables_is_read() {
        let t = region();
        assert_eq!(t.rejected, 0);
        assert_eq!(t.communes.len(), COMMUNES_TSV.lines().count() - 1);
        assert_eq!(t.former.len(), FORMER_COMMUNES_TSV.lines().count() - 1);
        assert_eq!(t.absorbed.len(), ABSORBED_CODES_TSV.lines().count() - 1);
        assert_eq!(t.epcis.len(), EPCI_TSV.lines().count() - 1);
    }

    #[test]
    fn counts_match_the_sources() {
        let t = region();
        // SOURCES.md: 3,782 `commune-actuelle`, 3,881 entries in all, 92 EPCI.
        assert_eq!(t.communes().len(), 3782);
        assert_eq!(t.communes().len() + t.former.len(), 3881);
        assert_eq!(t.epcis().len(), 92);
        assert_eq!(t.departments().len(), 5);
        let codes: Vec<&str> = t.departments().iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["02", "59", "60", "62", "80"]);
    }

    #[test]
    fn cambrai() {
        let cambrai = region().commune("59122").expect("Cambrai");
        assert_eq!(cambrai.name, "Cambrai");
        assert_eq!(cambrai.department, "59");
        assert_eq!(cambrai.postal_codes, ["59400"]);
        assert!(cambrai.population > 20_000);
        let siren = cambrai.epci.as_deref().expect("Cambrai has an EPCI");
        let epci = region().epci(siren).expect("its EPCI is known");
        assert_eq!(epci.kind, "CA");
        assert!(epci.communes.iter().any(|code| code == "59122"));
        assert_eq!(epci.departments, ["59"]);
        // The CC de l'Est de la Somme has Pithon (Aisne) among its communes.
        let straddling = region().epci("200070985").expect("CC de l'Est de la Somme");
        assert_eq!(straddling.departments, ["02", "80"]);
    }

    #[test]
    fn delegated_and_associated_communes_map_to_their_current_commune() {
        let t = region();
        // Artonges, delegated commune of Dhuys-et-Morin-en-Brie (02458).
        let (name, current) = t.former_commune("02026").expect("Artonges");
        assert_eq!(name, "Artonges");
        assert_eq!(current.code, "02458");
        assert!(t.commune("02026").is_none());
        // Fargniers, associated with Tergnier (02738).
        let (name, current) = t.former_commune("02300").expect("Fargniers");
        assert_eq!(name, "Fargniers");
        assert_eq!(current.name, "Tergnier");
        // A delegated commune keeping the code of its commune nouvelle.
        let (name, current) = t.former_commune("02018").expect("Anizy-le-Château");
        assert_eq!(name, "Anizy-le-Château");
        assert_eq!(current.name, "Anizy-le-Grand");
        assert!(t.former_commune("59122").is_none());
    }

    #[test]
    fn absorbed_codes_map_to_their_current_commune() {
        let t = region();
        // Aizy-Jouy (02008) absorbed 02394 (Jouy) without a delegated commune.
        assert_eq!(
            t.absorbed_into("02394").map(|c| c.code.as_str()),
            Some("02008")
        );
        assert!(t.absorbed_into("59122").is_none());
        for code in t.absorbed.keys() {
            assert!(t.commune(code).is_none() && t.former_commune(code).is_none());
        }
    }

    #[test]
    fn postal_codes() {
        let t = region();
        let amiens = t.communes_with_postal_code("80000");
        assert!(amiens.iter().any(|c| c.name == "Amiens"));
        assert!(t.communes_with_postal_code("75001").is_empty());
        assert!(t.communes_with_postal_code("").is_empty());
        // A postal code shared by several communes, returned in code order.
        let shared = t.communes_with_postal_code("59400");
        assert!(shared.len() > 1);
        assert!(shared.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn departments_by_code_and_slug() {
        let t = region();
        let pdc = t
            .department_by_slug("pas-de-calais")
            .expect("Pas-de-Calais");
        assert_eq!(pdc.code, "62");
        assert_eq!(pdc.name, "Pas-de-Calais");
        assert_eq!(t.department("80").map(|d| d.slug.as_str()), Some("somme"));
        assert!(t.department("75").is_none());
        assert!(t.department_by_slug("paris").is_none());
        for department in t.departments() {
            assert_eq!(crate::text::slugify(&department.name), department.slug);
            assert_eq!(
                french_department_name(&department.code),
                Some(department.name.as_str())
            );
        }
    }

    #[test]
    fn names_ignore_case_accents_hyphens_and_apostrophes() {
        let t = region();
        for query in [
            "saint omer",
            "Saint-Omer",
            "SAINT OMER",
            "st-omer",
            " saint'omer ",
        ] {
            let found = t.communes_named(query);
            assert_eq!(found.len(), 1, "{query}");
            assert_eq!(found[0].code, "62765", "{query}");
        }
        assert_eq!(t.communes_named("abbecourt")[0].name, "Abbécourt");
        assert!(t.communes_named("saint").is_empty());
        assert!(t.communes_named("").is_empty());
        assert!(t.communes_named("Paris").is_empty());
    }

    #[test]
    fn unknown_codes_give_none() {
        let t = region();
        for code in ["", "00000", "75056", "5912", "591220", "2A004", "cambrai"] {
            assert!(t.commune(code).is_none(), "{code}");
            assert!(t.former_commune(code).is_none(), "{code}");
            assert!(t.absorbed_into(code).is_none(), "{code}");
        }
        assert!(t.epci("").is_none());
        assert!(t.epci("000000000").is_none());
        assert!(t.department("").is_none());
        assert_eq!(french_department_name("2A"), Some("Corse-du-Sud"));
        assert_eq!(french_department_name("75"), Some("Paris"));
        assert_eq!(french_department_name("20"), None);
        assert_eq!(french_department_name(""), None);
    }

    #[test]
    fn tables_are_consistent() {
        let t = region();
        let departments: HashSet<&str> = t.departments().iter().map(|d| d.code.as_str()).collect();
        let mut members = 0;
        for commune in t.communes() {
            assert!(departments.contains(commune.department.as_str()));
            assert!(!commune.postal_codes.is_empty(), "{}", commune.code);
            assert!(commune.code.starts_with(&commune.department));
            if let Some(siren) = &commune.epci {
                let epci = t.epci(siren).expect("EPCI of a commune is listed");
                assert!(epci.communes.contains(&commune.code));
            }
        }
        for epci in t.epcis() {
            assert!(["CC", "CA", "CU", "METRO"].contains(&epci.kind.as_str()));
            for code in &epci.communes {
                let commune = t.commune(code).expect("member is a current commune");
                assert_eq!(commune.epci.as_deref(), Some(epci.siren.as_str()));
                members += 1;
            }
        }
        assert_eq!(
            members,
            t.communes().iter().filter(|c| c.epci.is_some()).count()
        );
        assert!(t.communes().windows(2).all(|w| w[0].code < w[1].code));
        assert!(t.epcis().windows(2).all(|w| w[0].siren < w[1].siren));
    }

    #[test]
    fn parsing_is_fast() {
        let start = std::time::Instant::now();
        let parsed = Territories::parse();
        let elapsed = start.elapsed();
        println!("territory tables parsed in {elapsed:?}");
        let start = std::time::Instant::now();
        let names = parsed.communes_named("Saint-Omer").len();
        println!("name index built in {:?}", start.elapsed());
        assert_eq!(names, 1);
        assert_eq!(parsed.communes.len(), 3782);
        // The target is well under 50 ms in a debug build; the bound leaves room for a busy
        // shared machine.
        assert!(elapsed.as_millis() < 500, "{elapsed:?}");
    }
}
