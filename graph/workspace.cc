#include "graph/workspace.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "graph/glob.h"
#include "graph/image_task.h"
#include "graph/names.h"
#include "graph/support/text.h"

namespace ripple::graph {
namespace {
constexpr std::string_view kServiceConfigFile = "service.yaml";
}  // namespace
namespace {

std::vector<std::string> values(const LocatedStrings& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& item : list) {
    out.push_back(item.value);
  }
  return out;
}

Status check_globs(const LocatedStrings& globs) {
  for (const auto& g : globs) {
    std::string_view pattern = g.value;
    if (!pattern.empty() && pattern.front() == '!') {
      pattern.remove_prefix(1);
    }
    if (auto st = glob::validate(pattern); !st) {
      return input_error(at(g.pos, st.error().message));
    }
  }
  return {};
}

// Output globs as restores and hashing compare them: relative to the service directory, with
// "./", "//" and "/./" spelled away ("./dist//y" is "dist/y") and a trailing "/" read as the whole
// directory ("dist/" is "dist/**"). A glob that is absolute or climbs out with ".." is an input
// error: outputs live in their service's directory.
Result<std::vector<std::string>> normalised_outputs(const LocatedStrings& globs) {
  std::vector<std::string> out;
  for (const LocatedString& g : globs) {
    std::string text = g.value;
    const bool whole_dir = !text.empty() && text.back() == '/';
    if (!text.empty() && text.front() == '/') {
      return input_error(at(g.pos, "output glob '" + g.value +
                                       "' is absolute; outputs are relative to the service "
                                       "directory (dist/**)"));
    }
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= text.size();) {
      std::size_t slash = text.find('/', start);
      if (slash == std::string::npos) {
        slash = text.size();
      }
      std::string part = text.substr(start, slash - start);
      if (part == "..") {
        return input_error(at(g.pos, "output glob '" + g.value +
                                         "' climbs out of the service directory; a task's "
                                         "outputs must lie inside its service"));
      }
      if (!part.empty() && part != ".") {
        parts.push_back(std::move(part));
      }
      start = slash + 1;
    }
    if (whole_dir && !parts.empty()) {
      parts.emplace_back("**");
    }
    if (parts.empty()) {
      return input_error(at(g.pos, "output glob '" + g.value +
                                       "' names the service directory itself; name files in it "
                                       "(dist/**)"));
    }
    out.push_back(join(parts, "/"));
  }
  return out;
}

// Template fields first, then whatever the service sets.
Result<TaskSpec> merge_task(const std::string& name, const TaskConfig* tmpl,
                            const TaskConfig* own) {
  TaskSpec spec;
  spec.name = name;
  LocatedStrings deps;
  for (const TaskConfig* layer : {tmpl, own}) {
    if (layer == nullptr) {
      continue;
    }
    spec.pos = layer->pos;
    if (layer->run) {
      spec.run = layer->run->value;
    }
    if (layer->deps) {
      deps = *layer->deps;
    }
    if (layer->outputs) {
      if (auto st = check_globs(*layer->outputs); !st) {
        return tl::unexpected(st.error());
      }
      auto outputs = normalised_outputs(*layer->outputs);
      if (!outputs) {
        return tl::unexpected(outputs.error());
      }
      spec.outputs = std::move(*outputs);
    }
    if (layer->inputs) {
      if (auto st = check_globs(*layer->inputs); !st) {
        return tl::unexpected(st.error());
      }
      spec.inputs = values(*layer->inputs);
    }
    if (layer->env) {
      spec.env = values(*layer->env);
    }
    if (layer->timeout_seconds) {
      spec.timeout_seconds = layer->timeout_seconds;
    }
    if (layer->cache) {
      spec.cache = *layer->cache;
    }
  }
  for (const auto& d : deps) {
    auto dep = parse_task_dep(d.value, d.pos);
    if (!dep) {
      return tl::unexpected(dep.error());
    }
    spec.deps.push_back(std::move(*dep));
  }
  return spec;
}

std::string describe_cycle(const ServiceGraph& graph, std::span<const ServiceId> component) {
  std::vector<std::string> names;
  for (ServiceId id : graph.cycle_path(component)) {
    names.push_back(graph.name(id));
  }
  std::string message = "dependency cycle among " + std::to_string(component.size()) +
                        (component.size() == 1 ? " service: " : " services: ") +
                        join(names, " -> ");
  if (component.size() + 1 > names.size()) {
    std::vector<std::string> all;
    for (ServiceId id : component) {
      all.push_back(graph.name(id));
    }
    message += " (members: " + join(all, ", ") + ")";
  }
  return message + "; allowed, but a change in any member affects all of them";
}

}  // namespace

Result<Workspace> Workspace::assemble(RootConfig root, std::vector<ServiceSource> sources) {
  Workspace ws;
  if (auto st = check_globs(root.global_inputs); !st) {
    return tl::unexpected(st.error());
  }
  if (auto st = check_globs(root.ignore); !st) {
    return tl::unexpected(st.error());
  }

  // Names first, so that ids follow name order whatever order the directories were listed in.
  struct Named {
    std::string name;
    SourcePos pos;
    ServiceSource* source;
  };
  std::vector<Named> named;
  for (auto& source : sources) {
    const auto& cfg = source.config;
    std::string name = cfg.name ? cfg.name->value : std::string(source.dir.name());
    // A name taken from the directory is at the top of its service.yaml, where a `name:` goes.
    SourcePos pos = cfg.name ? cfg.name->pos : SourcePos{cfg.file, 1, 1};
    if (name.empty()) {
      return input_error(at(pos, "a service at the workspace root needs a 'name:'"));
    }
    if (auto problem = service_name_problem(name); problem && !cfg.name) {
      return input_error(at(pos, *problem + " (it is the directory's name); set a 'name:'"));
    }
    named.push_back({std::move(name), std::move(pos), &source});
  }
  std::sort(named.begin(), named.end(), [](const Named& a, const Named& b) {
    return a.name != b.name ? a.name < b.name : a.source->dir < b.source->dir;
  });
  std::unordered_map<std::string, ServiceId> ids;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < named.size(); ++i) {
    if (i > 0 && named[i].name == named[i - 1].name) {
      // A service an inference rule found names the file it was read from (not a service.yaml).
      auto origin = [](const ServiceSource& s) {
        return s.config.file.ends_with(kServiceConfigFile) ? std::string()
                                                           : " (read from " + s.config.file + ")";
      };
      const std::string inferred = origin(*named[i - 1].source) + origin(*named[i].source);
      return input_error(
          at(named[i].pos,
             "duplicate service name '" + named[i].name + "': both " +
                 named[i - 1].source->dir.str() + origin(*named[i - 1].source) + " and " +
                 named[i].source->dir.str() + origin(*named[i].source) +
                 (inferred.empty() ? " use it; set a distinct 'name:' in one of them"
                                   : " use it; set a distinct 'name:' in a service.yaml in one of "
                                     "those directories, or leave the rule that found it out of "
                                     "'discover:' in ripple.yaml")));
    }
    ids.emplace(named[i].name, ServiceId{static_cast<std::uint32_t>(i)});
    names.push_back(named[i].name);
  }

  std::vector<std::vector<ServiceId>> edges(named.size());
  std::vector<std::optional<Result<TaskSpec>>> template_only(root.tasks.size());
  ws.services_.reserve(named.size());
  std::set<std::string> made_image;  // the services whose image task ripple made
  for (std::size_t i = 0; i < named.size(); ++i) {
    ServiceConfig& cfg = named[i].source->config;
    ServiceSpec spec;
    spec.name = named[i].name;
    spec.dir = named[i].source->dir;
    spec.file = cfg.file;
    spec.pos = named[i].pos;
    for (const auto& dep : cfg.deps) {
      auto it = ids.find(dep.value);
      if (it == ids.end()) {
        return input_error(at(dep.pos, "service '" + spec.name + "' depends on unknown service '" +
                                           dep.value + "'" + did_you_mean(dep.value, names)));
      }
      spec.deps.push_back(it->second);
      spec.dep_pos.push_back(dep.pos);
    }
    edges[i] = spec.deps;
    if (cfg.inputs) {
      // "file#part" names a part of a shared file; the rest are globs.
      LocatedStrings globs;
      for (const LocatedString& input : *cfg.inputs) {
        const std::size_t hash = input.value.find('#');
        if (hash == std::string::npos) {
          globs.push_back(input);
          continue;
        }
        const std::string file = input.value.substr(0, hash);
        auto path = RepoPath::parse(spec.dir.str().empty() ? file : spec.dir.str() + "/" + file);
        if (file.empty() || hash + 1 == input.value.size() || !path || path->str().empty() ||
            input.value.starts_with('!')) {
          return input_error(at(input.pos, "input '" + input.value +
                                               "': a part is 'FILE#PART' with FILE relative to "
                                               "the service directory and inside the workspace, "
                                               "such as '../../compose.yaml#services.cart' or "
                                               "'../../.env#CART_*'"));
        }
        spec.part_inputs.push_back({path->str() + input.value.substr(hash), input.pos});
      }
      if (auto st = check_globs(globs); !st) {
        return tl::unexpected(st.error());
      }
      spec.inputs = values(globs);
    } else {
      spec.inputs = {"**"};
    }
    spec.env = values(cfg.env);
    if (cfg.discover) {
      spec.rules = values(*cfg.discover);
    }
    // Template tasks this service does not get: dropped with `task: false`, or whose `where:`
    // files or `script:` it lacks. Its own tasks' deps on them are dropped too (as `^task` skips a
    // dependency without the task).
    std::set<std::string> dropped;
    std::size_t k = 0;
    for (const auto& [task_name, tmpl] : root.tasks) {
      auto own = cfg.tasks.find(task_name);
      if (own != cfg.tasks.end() && own->second.disabled) {
        ++k;
        dropped.insert(task_name);
        continue;
      }
      const bool lacks_where =
          tmpl.where &&
          std::none_of(tmpl.where->begin(), tmpl.where->end(), [&](const LocatedString& f) {
            return named[i].source->present.count(f.value) > 0;
          });
      const bool lacks_script =
          tmpl.script && named[i].source->scripts.count(tmpl.script->value) == 0;
      if (own == cfg.tasks.end() && (lacks_where || lacks_script)) {
        ++k;
        dropped.insert(task_name);
        continue;
      }
      if (own == cfg.tasks.end()) {
        // Most services take a template as it is: merged once, copied for each.
        std::optional<Result<TaskSpec>>& cached = template_only[k++];
        if (!cached) {
          cached = merge_task(task_name, &tmpl, nullptr);
        }
        if (!*cached) {
          return tl::unexpected(cached->error());
        }
        spec.tasks.emplace(task_name, **cached);
        continue;
      }
      ++k;
      auto merged = merge_task(task_name, &tmpl, &own->second);
      if (!merged) {
        return tl::unexpected(merged.error());
      }
      spec.tasks.emplace(task_name, std::move(*merged));
    }
    for (const auto& [task_name, own] : cfg.tasks) {
      if (own.disabled && root.tasks.count(task_name) == 0) {
        return input_error(at(own.pos, "task '" + task_name +
                                           "' is false, but ripple.yaml has no template '" +
                                           task_name + "' to drop; remove it"));
      }
      if (spec.tasks.count(task_name) == 0 && !own.disabled) {
        auto merged = merge_task(task_name, nullptr, &own);
        if (!merged) {
          return tl::unexpected(merged.error());
        }
        spec.tasks.emplace(task_name, std::move(*merged));
      }
    }
    for (auto& [task_name, task] : spec.tasks) {
      std::erase_if(task.deps, [&](const TaskDep& dep) {
        return dep.kind == TaskDep::Kind::self && dropped.count(dep.task) > 0;
      });
    }
    if (cfg.image) {
      const ImageConfig& image = *cfg.image;
      spec.image = ImageSpec{image.dockerfile, image.context, image.name.value_or(spec.name),
                             image.build_args, image.target,  image.platforms,
                             image.extra_tags, image.pos,     image.from};
      if (spec.tasks.count(kImageTask) == 0) {
        if (auto st = check_builder(root.images); !st) {
          return tl::unexpected(st.error());
        }
        spec.tasks.emplace(kImageTask, image_task_spec(root.images, *spec.image, spec.inputs,
                                                       spec.tasks.count("build") > 0));
        made_image.insert(spec.name);
      }
    }
    ws.services_.push_back(std::move(spec));
  }
  // An image task ripple made runs after the image tasks of the services whose images it
  // builds on (once every service's tasks are known: one without an image has none).
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < ws.services_.size(); ++i) {
    by_name.emplace(ws.services_[i].name, i);
  }
  for (ServiceSpec& spec : ws.services_) {
    auto task = spec.tasks.find(kImageTask);
    if (!spec.image || task == spec.tasks.end() || made_image.count(spec.name) == 0) {
      continue;
    }
    for (const LocatedString& from : spec.image->from) {
      auto other = by_name.find(from.value);
      if (other != by_name.end() && from.value != spec.name &&
          ws.services_[other->second].tasks.count(kImageTask) > 0) {
        task->second.deps.push_back(
            TaskDep{TaskDep::Kind::named, from.value, kImageTask, from.pos});
      }
    }
  }

  // Task references can only be checked once every service's tasks are known.
  for (const ServiceSpec& spec : ws.services_) {
    for (const auto& [task_name, task] : spec.tasks) {
      for (const TaskDep& dep : task.deps) {
        if (dep.kind == TaskDep::Kind::self && spec.tasks.count(dep.task) == 0) {
          std::vector<std::string> known;
          for (const auto& [n, t] : spec.tasks) {
            known.push_back(n);
          }
          return input_error(at(dep.pos, "task '" + task_name + "' of service '" + spec.name +
                                             "' depends on unknown task '" + dep.task + "'" +
                                             did_you_mean(dep.task, known)));
        }
        if (dep.kind == TaskDep::Kind::named) {
          auto it = ids.find(dep.service);
          if (it == ids.end()) {
            return input_error(at(dep.pos, "task dependency '" + dep.spelling() +
                                               "' names unknown service '" + dep.service + "'" +
                                               did_you_mean(dep.service, names)));
          }
          const ServiceSpec& target = ws.services_[it->second.value];
          if (target.tasks.count(dep.task) == 0) {
            std::vector<std::string> known;
            for (const auto& [n, t] : target.tasks) {
              known.push_back(n);
            }
            return input_error(at(dep.pos, "task dependency '" + dep.spelling() + "': service '" +
                                               dep.service + "' has no task '" + dep.task + "'" +
                                               did_you_mean(dep.task, known)));
          }
        }
      }
    }
  }

  // "^biuld" cannot be checked per service (a dependency may simply lack the task), but a task
  // that no service defines at all is almost certainly a typo.
  std::set<std::string> defined;
  for (const ServiceSpec& spec : ws.services_) {
    for (const auto& [task_name, task] : spec.tasks) {
      defined.insert(task_name);
    }
  }
  ws.task_names_.assign(defined.begin(), defined.end());
  const std::vector<std::string>& all_tasks = ws.task_names_;
  std::vector<std::string> warned;
  for (const ServiceSpec& spec : ws.services_) {
    for (const auto& [task_name, task] : spec.tasks) {
      for (const TaskDep& dep : task.deps) {
        if (dep.kind != TaskDep::Kind::upstream ||
            std::find(all_tasks.begin(), all_tasks.end(), dep.task) != all_tasks.end()) {
          continue;
        }
        std::string key = format_pos(dep.pos);
        if (std::find(warned.begin(), warned.end(), key) == warned.end()) {
          warned.push_back(key);
          ws.warnings_.push_back(
              Diagnostic{at(dep.pos, "'" + dep.spelling() + "' names a task no service defines" +
                                         did_you_mean(dep.task, all_tasks))});
        }
      }
    }
  }

  ws.graph_ = ServiceGraph(std::move(names), std::move(edges));
  for (const auto& component : ws.graph_.cycles()) {
    ws.warnings_.push_back(Diagnostic{describe_cycle(ws.graph_, component)});
  }
  ws.root_ = std::move(root);
  return ws;
}

Status check_task_defined(const Workspace& ws, const std::string& task) {
  const std::vector<std::string>& names = ws.task_names();
  if (std::binary_search(names.begin(), names.end(), task)) {
    return {};
  }
  return input_error(
      "no service defines a task '" + task + "'" + did_you_mean(task, names) +
      (names.empty() ? "; no service defines any task" : "; tasks: " + join(names, ", ")));
}

}  // namespace ripple::graph
