//! Embedded reference tables of the Hauts-de-France region (communes, EPCI, departments).
//!
//! STUB: the territory helper replaces the bodies; the signatures are the contract.

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
}

/// The region's reference tables, loaded once from data embedded in the binary.
#[derive(Debug)]
pub struct Territories {}

impl Territories {
    /// The shared instance (parsed on first use).
    pub fn region() -> &'static Territories {
        unimplemented!()
    }
    /// The five departments, in code order.
    pub fn departments(&self) -> &[Department] {
        unimplemented!()
    }
    /// A department of the region by code.
    pub fn department(&self, _code: &str) -> Option<&Department> {
        unimplemented!()
    }
    /// A department of the region by path slug.
    pub fn department_by_slug(&self, _slug: &str) -> Option<&Department> {
        unimplemented!()
    }
    /// A current commune by INSEE code.
    pub fn commune(&self, _code: &str) -> Option<&Commune> {
        unimplemented!()
    }
    /// For a delegated or associated commune code: its own name and the current commune it belongs to.
    pub fn former_commune(&self, _code: &str) -> Option<(&str, &Commune)> {
        unimplemented!()
    }
    /// An EPCI by SIREN.
    pub fn epci(&self, _siren: &str) -> Option<&Epci> {
        unimplemented!()
    }
    /// All EPCI with communes in the region, by SIREN.
    pub fn epcis(&self) -> &[Epci] {
        unimplemented!()
    }
    /// Current communes served by a postal code (empty when it is not one of the region's).
    pub fn communes_with_postal_code(&self, _postal_code: &str) -> Vec<&Commune> {
        unimplemented!()
    }
    /// Current communes whose name matches, ignoring case, accents, hyphens and apostrophes.
    pub fn communes_named(&self, _name: &str) -> Vec<&Commune> {
        unimplemented!()
    }
}

/// Name of any French department by code ("13" -> "Bouches-du-Rhône", "2A", "971"), for
/// `essaimage.territoires`, which may lie outside the region.
pub fn french_department_name(_code: &str) -> Option<&'static str> {
    unimplemented!()
}
