//! Open data: the page describing it (`donnees/`) and its files (CSV, JSON, Table Schema, Data Package), rendered by `render::opendata`.

use super::{PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::opendata::DataFile;
use crate::render::{RenderError, Rendered, Renderer, Shared, missing};
use crate::routes::DATA_DIR;

/// The open data page.
pub struct DataPage;

impl PageKind for DataPage {
    fn name(&self) -> &'static str {
        "donnees"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(DATA_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.data_page(&planned.path, planned.dir().to_string())
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn folder(&self) -> Option<&'static str> {
        Some("donnees")
    }
}

/// The open data files (`item`: position in [`DataFile::ALL`]).
pub struct DataFiles;

impl PageKind for DataFiles {
    fn in_every_language(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "fichiers-donnees"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        for (index, file) in DataFile::ALL.iter().enumerate() {
            plan.file(format!("{DATA_DIR}{}", file.name()), index);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let file = DataFile::ALL
            .get(planned.item)
            .ok_or_else(|| missing(&planned.path))?;
        r.open_data(*file, &planned.path)
    }
}
